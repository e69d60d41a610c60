using System.Globalization;
using HipaaMongo.Benchmarks.Drift;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Models;

namespace HipaaMongo.Benchmarks.Footprint;

/// <summary>
/// An in-process LocalCluster with the HipaaMongo, HipaaMongoUser and cert-manager CRDs and nothing running beside the operator: the
/// operator's footprint is measured alone, in its own process. Seeds HipaaMongos and unrelated Secrets and ConfigMaps.
/// </summary>
public sealed class FootprintCluster : IAsyncDisposable
{
    const int InFlight = 32;
    readonly string directory;

    FootprintCluster(LocalClusterServer server, string directory)
    {
        Server = server;
        this.directory = directory;
        Admin = server.CreateClient();
    }

    public LocalClusterServer Server { get; }

    public Kubernetes Admin { get; }

    public string KubeconfigPath => Path.Combine(directory, "kubeconfig");

    public int HipaaMongos { get; private set; }

    public static async Task<FootprintCluster> StartAsync(CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("hm-footprint-").FullName;
        var options = new LocalClusterOptions { WatchHistoryWindow = 100_000, KubeconfigPath = Path.Combine(directory, "kubeconfig") };
        var cluster = new FootprintCluster(await LocalClusterServer.StartAsync(options, ct), directory);
        // Both of the operator's kinds: it refuses to start (exit 4) when either is not served.
        foreach (var file in new[] { "hipaa.mongooperator.io_hipaamongos.yaml", "hipaa.mongooperator.io_hipaamongousers.yaml" })
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(RepoPaths.At("config/crds/" + file), ct));
            await cluster.Admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: ct);
        }
        foreach (var certManager in KubernetesYaml.LoadAllFromString(CertManagerCrds.Yaml).OfType<V1CustomResourceDefinition>())
        {
            await cluster.Admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(certManager, cancellationToken: ct);
        }
        return cluster;
    }

    /// <summary>Adds HipaaMongos (copies of the minimal sample) until there are <paramref name="total"/>, 100 per namespace.</summary>
    public async Task GrowToAsync(int total, CancellationToken ct)
    {
        var sample = await File.ReadAllTextAsync(RepoPaths.At("config/samples/hipaa_v1alpha1_hipaamongo_minimal.yaml"), ct);
        var added = Enumerable.Range(HipaaMongos, total - HipaaMongos).ToList();
        foreach (var ns in added.Select(NamespaceOf).Distinct())
        {
            await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: ct);
        }
        await Parallel.ForEachAsync(added, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct }, async (i, token) =>
        {
            var resource = KubernetesYaml.Deserialize<HipaaMongoResource>(sample);
            resource.Metadata.NamespaceProperty = NamespaceOf(i);
            resource.Metadata.Name = "hm-" + i.ToString("D4", CultureInfo.InvariantCulture);
            await Admin.CustomObjects.CreateNamespacedCustomObjectAsync(resource, ApiGroup.Group, ApiGroup.Version, NamespaceOf(i),
                ApiGroup.Plural, cancellationToken: token);
        });
        HipaaMongos = total;
    }

    /// <summary>Half Secrets, half ConfigMaps, about 300 bytes each, in namespaces of their own that hold no HipaaMongo.</summary>
    public async Task AddUnrelatedAsync(int count, CancellationToken ct)
    {
        var namespaces = Enumerable.Range(0, Math.Max(1, count / 2_000)).Select(n => "unrelated-" + n).ToList();
        foreach (var ns in namespaces)
        {
            await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: ct);
        }
        var payload = new string('x', 256);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct },
            async (i, token) =>
            {
                var ns = namespaces[i % namespaces.Count];
                var name = "app-" + i.ToString(CultureInfo.InvariantCulture);
                var meta = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = "unrelated" } };
                if (i % 2 == 0)
                {
                    await Admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = meta, StringData = new Dictionary<string, string> { ["password"] = payload } }, ns, cancellationToken: token);
                }
                else
                {
                    await Admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = meta, Data = new Dictionary<string, string> { ["config"] = payload } }, ns, cancellationToken: token);
                }
            });
    }

    /// <summary>HipaaMongos whose status has caught up with their generation, read from the store (no HTTP on the measured path).</summary>
    public int Observed() => Server.Store.Snapshot(ApiGroup.Group + "/" + ApiGroup.Plural, null).Count(o =>
        o["status"]?["observedGeneration"] is { } observed && observed.ToJsonString() == o["metadata"]?["generation"]?.ToJsonString());

    static string NamespaceOf(int i) => "fp-" + (i / 100).ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // left behind in /tmp
        }
    }
}
