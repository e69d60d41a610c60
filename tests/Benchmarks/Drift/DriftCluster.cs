using System.Globalization;
using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Baseline;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Benchmarks.Drift;

/// <summary>
/// An in-process LocalCluster with the HipaaMongo and cert-manager CRDs and no simulations (no pods, so the
/// operator never verifies members), seeded with a fleet of minimal-sample HipaaMongos.
/// </summary>
public sealed class DriftCluster : IAsyncDisposable
{
    static readonly TimeSpan CrdWait = TimeSpan.FromSeconds(60);

    DriftCluster(LocalClusterServer server, Kubernetes admin)
    {
        Server = server;
        Admin = admin;
    }

    public LocalClusterServer Server { get; }

    /// <summary>The harness's own client (admin token), never the controllers'.</summary>
    public Kubernetes Admin { get; }

    public IReadOnlyList<(string Namespace, string Name)> Fleet { get; private set; } = [];

    /// <summary>What the renderer appends to a HipaaMongo's name for each of its NetworkPolicies (from the real renderer).</summary>
    public IReadOnlyList<string> PolicySuffixes { get; private set; } = [];

    public static async Task<DriftCluster> StartAsync(CancellationToken ct)
    {
        var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { WatchHistoryWindow = 100_000 }, ct);
        var cluster = new DriftCluster(server, server.CreateClient());
        await cluster.InstallCrdsAsync(ct);
        return cluster;
    }

    /// <summary>A client for a controller under test, as its own service account so the audit trail tells it apart.</summary>
    public Kubernetes ClientFor(string account) =>
        new(Server.ClientConfiguration(Server.ServiceAccountToken(DriftHosts.OperatorNamespace, account)));

    public static string UserOf(string account) => $"system:serviceaccount:{DriftHosts.OperatorNamespace}:{account}";

    /// <summary>Creates <paramref name="count"/> copies of the minimal sample, <see cref="DriftProfile.PerNamespace"/> per namespace.</summary>
    public async Task SeedAsync(int count, CancellationToken ct)
    {
        var fleet = Enumerable.Range(0, count)
            .Select(i => (Namespace: "drift-" + (i / DriftProfile.PerNamespace).ToString(CultureInfo.InvariantCulture),
                Name: "hm-" + i.ToString("D4", CultureInfo.InvariantCulture)))
            .ToList();
        foreach (var ns in fleet.Select(f => f.Namespace).Distinct())
        {
            await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: ct);
        }

        var sample = await File.ReadAllTextAsync(RepoPaths.At("config/samples/hipaa_v1alpha1_hipaamongo_minimal.yaml"), ct);
        PolicySuffixes = Suffixes(KubernetesYaml.Deserialize<HipaaMongoResource>(sample));
        await Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (f, token) =>
        {
            var resource = KubernetesYaml.Deserialize<HipaaMongoResource>(sample);
            resource.Metadata.NamespaceProperty = f.Namespace;
            resource.Metadata.Name = f.Name;
            await Admin.CustomObjects.CreateNamespacedCustomObjectAsync(resource, ApiGroup.Group, ApiGroup.Version, f.Namespace,
                ApiGroup.Plural, cancellationToken: token);
        });
        Fleet = fleet;
    }

    static List<string> Suffixes(HipaaMongoResource sample) =>
    [
        .. DesiredStateRenderer.Render(sample, RenderOptions.Default with { OperatorNamespace = DriftHosts.OperatorNamespace }).Objects
            .OfType<V1NetworkPolicy>()
            .Select(p => p.Metadata.Name[sample.Metadata.Name.Length..]),
    ];

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
    }

    async Task InstallCrdsAsync(CancellationToken ct)
    {
        var files = new[] { "config/crds/hipaa.mongooperator.io_hipaamongos.yaml", "config/crds/hipaa.mongooperator.io_hipaamongousers.yaml", "config/simulations/cert-manager-crds.yaml" };
        var crds = files.SelectMany(f => File.ReadAllText(RepoPaths.At(f)).Split("\n---"))
            .Where(doc => doc.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal))
            .Select(doc => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(doc))
            .ToList();
        foreach (var crd in crds)
        {
            await Admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: ct);
        }

        foreach (var crd in crds)
        {
            await Waits.UntilAsync(() => EstablishedAsync(crd.Metadata.Name, ct), CrdWait, $"CRD {crd.Metadata.Name} Established", ct);
        }
    }

    async Task<bool> EstablishedAsync(string name, CancellationToken ct)
    {
        try
        {
            var crd = await Admin.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: ct);
            return crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
        }
        catch (HttpOperationException)
        {
            return false;
        }
    }
}
