using System.Security.Cryptography.X509Certificates;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.ClusterSimulations.Clock;
using HipaaMongo.ClusterSimulations.StatefulSets;
using HipaaMongo.ClusterSimulations.Tests.CertManager;
using HipaaMongo.ClusterSimulations.Tests.StatefulSets;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.ClusterSimulations.Tests.Integration;

/// <summary>The simulations as controllers against LocalCluster over HTTPS, through KubernetesClient.</summary>
public sealed class LocalClusterSimulationTests : IAsyncLifetime
{
    private const string Ns = "phi-db";
    private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private LocalClusterServer _server = null!;
    private Kubernetes _client = null!;

    private CancellationToken Ct => _cts.Token;

    public async ValueTask InitializeAsync()
    {
        _cts.CancelAfter(TimeSpan.FromSeconds(120));
        _server = await LocalClusterServer.StartAsync(new LocalClusterOptions(), Ct);
        _client = _server.CreateClient();
        await ClusterSimulationSet.InstallCertManagerCrdsAsync(_client, Ct);
        await ClusterSimulationSet.InstallCertManagerCrdsAsync(_client, Ct); // idempotent
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = Ns } }, cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _client.Dispose();
        await _server.DisposeAsync();
        _cts.Dispose();
    }

    private Task<object> CreateAsync(object obj, string plural) =>
        _client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, CertManagerApi.Group, CertManagerApi.Version, Ns, plural, cancellationToken: Ct);

    private Task<Certificate> GetCertificateAsync(string name) =>
        _client.CustomObjects.GetNamespacedCustomObjectAsync<Certificate>(CertManagerApi.Group, CertManagerApi.Version, Ns, "certificates", name,
            cancellationToken: Ct);

    // Polls (never sleeps for a fixed time to pass), within the test's overall 120 s.
    private Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
        where T : class =>
        Eventually.FoundAsync(probe, what, TimeSpan.FromSeconds(90), e => e is HttpOperationException, Ct);

    [Fact]
    public async Task A_Certificate_from_a_CA_Issuer_becomes_a_Secret_and_renews_when_the_clock_passes_renewalTime()
    {
        var clock = new SimulationClock(new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero));
        using var sim = new CertManagerSimulation(_client, clock, NullLoggerFactory.Instance);
        var run = sim.RunAsync(Ct);
        await CreateAsync(new Issuer { Metadata = new() { Name = "bootstrap", NamespaceProperty = Ns }, Spec = new() { SelfSigned = new() } }, "issuers");
        await CreateAsync(Pki.Wrap(Pki.CaSpec(), "root-ca"), "certificates");
        await CreateAsync(new Issuer { Metadata = new() { Name = "phi-internal-ca", NamespaceProperty = Ns }, Spec = new() { CA = new() { SecretName = "root-ca" } } }, "issuers");
        await CreateAsync(Pki.Wrap(Pki.MemberSpec()), "certificates");

        var ready = await EventuallyAsync(async () => (await GetCertificateAsync("rs0-member")) is { Status.Revision: 1 } c
            && c.Status.Conditions!.Any(x => x is { Type: "Ready", Status: "True" }) ? c : null, "Certificate Ready");
        var secret = await _client.CoreV1.ReadNamespacedSecretAsync("rs0-member-tls", Ns, cancellationToken: Ct);
        Assert.Equal(["ca.crt", "tls-combined.pem", "tls.crt", "tls.key"], secret.Data.Keys.Order());
        using var leaf = X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(secret.Data["tls.crt"]));
        using var root = X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(secret.Data["ca.crt"]));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = clock.GetUtcNow().AddHours(1).UtcDateTime;
        Assert.True(chain.Build(leaf));
        Assert.Contains("OU=mongodb-rs0-member", leaf.Subject);

        clock.SetUtcNow(new DateTimeOffset(ready.Status!.RenewalTime!.Value, TimeSpan.Zero));
        await EventuallyAsync(async () => (await GetCertificateAsync("rs0-member")) is { Status.Revision: 2 } c ? c : null, "renewal");
        var renewed = await _client.CoreV1.ReadNamespacedSecretAsync("rs0-member-tls", Ns, cancellationToken: Ct);
        using var second = X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(renewed.Data["tls.crt"]));
        Assert.NotEqual(leaf.SerialNumber, second.SerialNumber);
        await _cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_StatefulSet_of_3_becomes_3_Ready_pods_with_claims_and_rolls_to_a_new_template()
    {
        using var sim = new WorkloadSimulation(_client, new SimulationClock(), NullLoggerFactory.Instance);
        var run = sim.RunAsync(Ct);
        var set = MiniCluster.NewSet(3);
        set.Metadata.Uid = null;
        set.Metadata.Generation = null;
        await _client.AppsV1.CreateNamespacedStatefulSetAsync(set, Ns, cancellationToken: Ct);

        var ready = await EventuallyAsync(async () => await _client.AppsV1.ReadNamespacedStatefulSetAsync("rs0", Ns, cancellationToken: Ct)
            is { Status.ReadyReplicas: 3 } s ? s : null, "3 Ready replicas");
        var pods = await _client.CoreV1.ListNamespacedPodAsync(Ns, cancellationToken: Ct);
        Assert.Equal(["rs0-0", "rs0-1", "rs0-2"], pods.Items.Select(p => p.Metadata.Name).Order());
        Assert.Equal(3, pods.Items.Select(p => p.Status.PodIP).Distinct().Count());
        Assert.All(pods.Items, p => Assert.StartsWith("127.", p.Status.PodIP));
        var claims = await _client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(Ns, cancellationToken: Ct);
        Assert.Equal(["data-rs0-0", "data-rs0-1", "data-rs0-2"], claims.Items.Select(c => c.Metadata.Name).Order());

        var oldRevision = ready.Status.UpdateRevision;
        ready.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.5";
        await _client.AppsV1.ReplaceNamespacedStatefulSetAsync(ready, "rs0", Ns, cancellationToken: Ct);
        var rolled = await EventuallyAsync(async () => await _client.AppsV1.ReadNamespacedStatefulSetAsync("rs0", Ns, cancellationToken: Ct)
            is { Status: { UpdatedReplicas: 3, ReadyReplicas: 3 } st } s && st.UpdateRevision != oldRevision
            && st.CurrentRevision == st.UpdateRevision ? s : null, "rolled");
        Assert.Equal(rolled.Metadata.Generation, rolled.Status.ObservedGeneration);
        Assert.Equal(2, rolled.Metadata.Generation);
        pods = await _client.CoreV1.ListNamespacedPodAsync(Ns, cancellationToken: Ct);
        Assert.All(pods.Items, p => Assert.Equal("mongo:8.0.5", p.Spec.Containers[0].Image));
        await _cts.CancelAsync();
        await run;
    }

    // The StatefulSet controller records each template as a ControllerRevision (kubernetes pkg/controller/history
    // NewControllerRevision) named by status.updateRevision and used as the pods' controller-revision-hash; the PV
    // controller binds each claim to a provisioned pvc-<uid> volume of the default StorageClass it creates.
    [Fact]
    public async Task A_StatefulSet_records_ControllerRevisions_and_its_claims_become_Bound_to_provisioned_volumes()
    {
        using var sim = new WorkloadSimulation(_client, new SimulationClock(), NullLoggerFactory.Instance);
        var run = sim.RunAsync(Ct);
        var set = MiniCluster.NewSet(2, "Parallel");
        set.Metadata.Uid = null;
        set.Metadata.Generation = null;
        await _client.AppsV1.CreateNamespacedStatefulSetAsync(set, Ns, cancellationToken: Ct);
        var ready = await EventuallyAsync(async () => await _client.AppsV1.ReadNamespacedStatefulSetAsync("rs0", Ns, cancellationToken: Ct)
            is { Status.ReadyReplicas: 2 } s ? s : null, "2 Ready replicas");

        var revision = (await _client.AppsV1.ListNamespacedControllerRevisionAsync(Ns, cancellationToken: Ct)).Items.Single();
        Assert.Equal(ready.Status.UpdateRevision, revision.Metadata.Name);
        Assert.Equal(ready.Status.CurrentRevision, revision.Metadata.Name);
        Assert.Equal(1, revision.Revision);
        Assert.Equal($"rs0-{revision.Metadata.Labels["controller.kubernetes.io/hash"]}", revision.Metadata.Name);
        Assert.Equal(ready.Metadata.Uid, revision.Metadata.OwnerReferences.Single(o => o.Controller == true).Uid);
        Assert.Equal("replace", StatefulSetRevisionsData(revision).GetProperty("spec").GetProperty("template").GetProperty("$patch").GetString());
        var pods = await _client.CoreV1.ListNamespacedPodAsync(Ns, cancellationToken: Ct);
        Assert.All(pods.Items, p => Assert.Equal(revision.Metadata.Name, p.Metadata.Labels["controller-revision-hash"]));

        var storageClass = await _client.StorageV1.ReadStorageClassAsync("standard", cancellationToken: Ct);
        Assert.Equal("true", storageClass.Metadata.Annotations["storageclass.kubernetes.io/is-default-class"]);
        foreach (var claim in (await _client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(Ns, cancellationToken: Ct)).Items)
        {
            Assert.Equal("Bound", claim.Status.Phase);
            Assert.Equal($"pvc-{claim.Metadata.Uid}", claim.Spec.VolumeName);
            var volume = await _client.CoreV1.ReadPersistentVolumeAsync(claim.Spec.VolumeName, cancellationToken: Ct);
            Assert.Equal(("Bound", "Delete", "standard"), (volume.Status.Phase, volume.Spec.PersistentVolumeReclaimPolicy, volume.Spec.StorageClassName));
            Assert.Equal((claim.Metadata.Name, claim.Metadata.Uid), (volume.Spec.ClaimRef.Name, volume.Spec.ClaimRef.Uid));
            Assert.Equal(new ResourceQuantity("10Gi"), volume.Spec.Capacity["storage"]);
        }

        ready.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.5";
        await _client.AppsV1.ReplaceNamespacedStatefulSetAsync(ready, "rs0", Ns, cancellationToken: Ct);
        var rolled = await EventuallyAsync(async () => await _client.AppsV1.ReadNamespacedStatefulSetAsync("rs0", Ns, cancellationToken: Ct)
            is { Status: { UpdatedReplicas: 2, ReadyReplicas: 2 } st } s && st.CurrentRevision == st.UpdateRevision
            && st.UpdateRevision != revision.Metadata.Name ? s : null, "rolled");
        var revisions = (await _client.AppsV1.ListNamespacedControllerRevisionAsync(Ns, cancellationToken: Ct)).Items;
        Assert.Equal([(revision.Metadata.Name, 1L), (rolled.Status.UpdateRevision, 2L)],
            revisions.OrderBy(r => r.Revision).Select(r => (r.Metadata.Name, r.Revision ?? 0)));
        await _cts.CancelAsync();
        await run;
    }

    // A pod whose claim is missing or unbound is not scheduled (kube-scheduler volumebinding PreFilter); a claim's
    // volume goes with it under reclaimPolicy Delete and stays Released under Retain.
    [Fact]
    public async Task Pods_wait_for_their_claims_and_deleted_claims_release_their_volumes_per_reclaimPolicy()
    {
        using var sim = new WorkloadSimulation(_client, new SimulationClock(), NullLoggerFactory.Instance);
        var run = sim.RunAsync(Ct);
        var pod = new V1Pod
        {
            Metadata = new() { Name = "app", NamespaceProperty = Ns },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "app", Image = "busybox:1.37" }],
                Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new() { ClaimName = "kept" } }],
            },
        };
        await _client.CoreV1.CreateNamespacedPodAsync(pod, Ns, cancellationToken: Ct);
        var pending = await EventuallyAsync(async () => (await _client.CoreV1.ReadNamespacedPodAsync("app", Ns, cancellationToken: Ct))
            .Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled"), "PodScheduled=False");
        Assert.Equal(("False", "Unschedulable"), (pending.Status, pending.Reason));
        Assert.Equal("0/1 nodes are available: persistentvolumeclaim \"kept\" not found. preemption: 0/1 nodes are available: "
            + "1 Preemption is not helpful for scheduling.", pending.Message);
        var failed = await EventuallyAsync(async () => (await _client.CoreV1.ListNamespacedEventAsync(Ns, cancellationToken: Ct)).Items
            .FirstOrDefault(e => e.Reason == "FailedScheduling"), "FailedScheduling event");
        Assert.Equal(("Warning", "default-scheduler", pending.Message), (failed.Type, failed.Source.Component, failed.Message));

        await _client.StorageV1.CreateStorageClassAsync(new V1StorageClass
        {
            Metadata = new() { Name = "keep" },
            Provisioner = "example.com/disk",
            ReclaimPolicy = "Retain",
        }, cancellationToken: Ct);
        await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(NewClaim("kept", "keep"), Ns, cancellationToken: Ct);
        await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(NewClaim("scratch", null), Ns, cancellationToken: Ct);
        await EventuallyAsync(async () => await _client.CoreV1.ReadNamespacedPodAsync("app", Ns, cancellationToken: Ct)
            is { Status.Phase: "Running" } p ? p : null, "pod Running once its claim is Bound");
        var kept = await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("kept", Ns, cancellationToken: Ct);
        var scratch = await EventuallyAsync(async () => await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("scratch", Ns,
            cancellationToken: Ct) is { Status.Phase: "Bound" } c ? c : null, "scratch Bound");
        Assert.Equal("standard", scratch.Spec.StorageClassName); // no class given: the default class, set by the PV controller

        // Generic client: the typed delete expects the claim back, LocalCluster answers with a Status.
        using var claims = new GenericClient(_client, "", "v1", "persistentvolumeclaims", disposeClient: false);
        var protectedClaim = await EventuallyAsync(async () => await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("kept", Ns,
            cancellationToken: Ct) is { Metadata.Finalizers: { } f } c && f.Contains("kubernetes.io/pvc-protection") ? c : null,
            "pvc-protection finalizer");
        Assert.Equal(kept.Metadata.Uid, protectedClaim.Metadata.Uid);
        await EventuallyAsync(async () => await _client.CoreV1.ReadPersistentVolumeAsync(kept.Spec.VolumeName, cancellationToken: Ct)
            is { Metadata.Finalizers: { } f } v && f.Contains("kubernetes.io/pv-protection") ? v : null, "pv-protection finalizer");
        await claims.DeleteNamespacedAsync<V1Status>(Ns, "kept", Ct);
        await claims.DeleteNamespacedAsync<V1Status>(Ns, "scratch", Ct);
        // "kept" is mounted by the running pod: pvc-protection only marks it, its volume stays Bound.
        var marked = await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("kept", Ns, cancellationToken: Ct);
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        await EventuallyAsync(async () =>
        {
            try
            {
                await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("scratch", Ns, cancellationToken: Ct);
                return null;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return "gone";
            }
        }, "unused claim removed");
        Assert.Equal("Bound", (await _client.CoreV1.ReadPersistentVolumeAsync(kept.Spec.VolumeName, cancellationToken: Ct)).Status.Phase);
        Assert.NotNull((await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("kept", Ns, cancellationToken: Ct)).Metadata.DeletionTimestamp);
        using var pods = new GenericClient(_client, "", "v1", "pods", disposeClient: false);
        await pods.DeleteNamespacedAsync<V1Status>(Ns, "app", Ct);
        await EventuallyAsync(async () => await _client.CoreV1.ReadPersistentVolumeAsync(kept.Spec.VolumeName, cancellationToken: Ct)
            is { Status.Phase: "Released" } v ? v : null, "Retain: Released once the pod is gone");
        await EventuallyAsync(async () =>
        {
            try
            {
                await _client.CoreV1.ReadPersistentVolumeAsync(scratch.Spec.VolumeName, cancellationToken: Ct);
                return null;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return "deleted";
            }
        }, "Delete: volume removed");
        await _cts.CancelAsync();
        await run;
    }

    private static V1PersistentVolumeClaim NewClaim(string name, string? storageClass) => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = Ns },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
        },
    };

    private static System.Text.Json.JsonElement StatefulSetRevisionsData(V1ControllerRevision revision) =>
        System.Text.Json.JsonDocument.Parse(KubernetesJson.Serialize(revision.Data)).RootElement.Clone();
}
