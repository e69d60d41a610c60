using System.Globalization;
using HipaaMongo.Benchmarks.Drift;
using HipaaMongo.ClusterSimulations;
using HipaaMongo.ClusterSimulations.Clock;
using HipaaMongo.ClusterSimulations.Pods.Mongod;
using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>
/// LocalCluster in the harness's process with every simulation `local-cluster --simulate all` runs (cert-manager,
/// StatefulSets, volumes, a mongod simulator per pod on its own 127.x.y.z), a kubeconfig file for the operator's
/// process, and a fleet of minimal-sample HipaaMongos verified every <see cref="MembersProfile.Interval"/>.
/// </summary>
public sealed class MembersCluster : IAsyncDisposable
{
    static readonly TimeSpan CrdWait = TimeSpan.FromSeconds(60);
    static readonly TimeSpan DisposeLimit = TimeSpan.FromSeconds(30);

    readonly CancellationTokenSource stopSimulations = new();
    readonly MongodPodWorkload mongods;
    readonly string directory;
    Task simulations = Task.CompletedTask;

    MembersCluster(LocalClusterServer server, string directory)
    {
        Server = server;
        Admin = server.CreateClient();
        this.directory = directory;
        // No volume refresh loop: certificates are not renewed within a run, and a refresh of 300 pods' Secrets
        // every few seconds would be load the operator does not cause.
        mongods = new MongodPodWorkload(new KubernetesVolumeSource(Admin), NullLogger<MongodPodWorkload>.Instance,
            new MongodWorkloadOptions { Clock = SimulationClock.FollowingWallClock(), RootDirectory = Path.Combine(directory, "pods") });
    }

    public LocalClusterServer Server { get; }

    /// <summary>The harness's own client (admin token).</summary>
    public Kubernetes Admin { get; }

    public string KubeconfigPath => Path.Combine(directory, "kubeconfig");

    public IReadOnlyList<(string Namespace, string Name)> Fleet { get; private set; } = [];

    /// <summary>The mongod simulators running in the pods (by pod uid), for harnesses that read the members' own state.</summary>
    public MongodPodWorkload Mongods => mongods;

    public static async Task<MembersCluster> StartAsync(CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("hm-membench-").FullName;
        var options = new LocalClusterOptions { WatchHistoryWindow = 100_000, KubeconfigPath = Path.Combine(directory, "kubeconfig") };
        var cluster = new MembersCluster(await LocalClusterServer.StartAsync(options, ct), directory);
        await cluster.InstallCrdAsync(ct);
        var clock = SimulationClock.FollowingWallClock();
        var stop = cluster.stopSimulations.Token;
        cluster.simulations = Task.Run(() => ClusterSimulationSet.RunAsync(cluster.Admin, SimulationKinds.All, clock,
            NullLoggerFactory.Instance, cluster.mongods, stop), CancellationToken.None);
        return cluster;
    }

    /// <summary>
    /// Creates <paramref name="count"/> copies of the minimal sample with their KMIP stand-in Secrets, verified every
    /// interval, each with <paramref name="members"/> members.
    /// </summary>
    public async Task SeedAsync(int count, CancellationToken ct, int members = MembersProfile.MembersPerSet)
    {
        var fleet = Enumerable.Range(0, count)
            .Select(i => (Namespace: "members-" + (i / MembersProfile.PerNamespace).ToString(CultureInfo.InvariantCulture),
                Name: "hm-" + i.ToString("D3", CultureInfo.InvariantCulture)))
            .ToList();
        using var kmip = new KmipStandIn();
        foreach (var ns in fleet.Select(f => f.Namespace).Distinct())
        {
            await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: ct);
            await kmip.CreateServerCaAsync(Admin, ns, ct);
        }

        var sample = await File.ReadAllTextAsync(RepoPaths.At("config/samples/hipaa_v1alpha1_hipaamongo_minimal.yaml"), ct);
        await Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (f, token) =>
        {
            await kmip.CreateClientAsync(Admin, f.Namespace, f.Name, token);
            var resource = KubernetesYaml.Deserialize<HipaaMongoResource>(sample);
            resource.Metadata.NamespaceProperty = f.Namespace;
            resource.Metadata.Name = f.Name;
            resource.Spec.Encryption.Kmip.ClientCertificate.SecretName = KmipStandIn.ClientSecretName(f.Name);
            resource.Spec.Verification.IntervalSeconds = (int)MembersProfile.Interval.TotalSeconds;
            resource.Spec.Members = members;
            await Admin.CustomObjects.CreateNamespacedCustomObjectAsync(resource, ApiGroup.Group, ApiGroup.Version, f.Namespace,
                ApiGroup.Plural, cancellationToken: token);
        });
        Fleet = fleet;
    }

    public async ValueTask DisposeAsync()
    {
        await stopSimulations.CancelAsync();
        // Bounded: a run that failed must still end.
        await simulations.ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(DisposeLimit).ContinueWith(_ => { }, TaskScheduler.Default);
        await mongods.DisposeAsync().AsTask().WaitAsync(DisposeLimit).ContinueWith(_ => { }, TaskScheduler.Default);
        Admin.Dispose();
        await Server.DisposeAsync();
        stopSimulations.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a pod file still open: the temp directory is left behind
        }
    }

    async Task InstallCrdAsync(CancellationToken ct)
    {
        foreach (var file in new[] { "config/crds/hipaa.mongooperator.io_hipaamongos.yaml", "config/crds/hipaa.mongooperator.io_hipaamongousers.yaml" })
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(RepoPaths.At(file), ct));
            await Admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: ct);
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
