using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.ClusterSimulations.Clock;
using HipaaMongo.ClusterSimulations.Pods.Mongod;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.ClusterSimulations.Tests.Mongod;

/// <summary>
/// All simulations against LocalCluster: cert-manager issues the member Secret, the StatefulSet becomes a pod,
/// and the pod's mongod simulator, configured from the mounted ConfigMap and Secret, answers on the pod IP.
/// </summary>
public sealed class MongodPodsOnLocalClusterTests : IAsyncLifetime
{
    private const string Ns = MongodPodFixture.Ns;
    private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly string _root = Directory.CreateTempSubdirectory("hm-pods-e2e-").FullName;
    private LocalClusterServer _server = null!;
    private Kubernetes _client = null!;
    private readonly SimulationClock _clock = new();
    private MongodPodWorkload _workload = null!;
    private Task _run = Task.CompletedTask;

    private CancellationToken Ct => _cts.Token;

    public async ValueTask InitializeAsync()
    {
        _cts.CancelAfter(TimeSpan.FromSeconds(120));
        _server = await LocalClusterServer.StartAsync(new LocalClusterOptions(), Ct);
        _client = _server.CreateClient();
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = Ns } }, cancellationToken: Ct);
        await ClusterSimulationSet.InstallCertManagerCrdsAsync(_client, Ct); // before the test creates CRs; RunAsync's install is idempotent
        _workload = new MongodPodWorkload(new KubernetesVolumeSource(_client), NullLogger<MongodPodWorkload>.Instance,
            new MongodWorkloadOptions { RootDirectory = _root });
        _run = ClusterSimulationSet.RunAsync(_client, SimulationKinds.All, _clock, NullLoggerFactory.Instance, _workload, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _run.ContinueWith(_ => { }, TaskScheduler.Default);
        await _workload.DisposeAsync();
        _client.Dispose();
        await _server.DisposeAsync();
        _cts.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_mongod_pod_answers_hello_over_tls_and_a_refused_config_makes_it_CrashLoopBackOff()
    {
        await IssueMemberCertificateAsync();
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(MongodPodFixture.ValidConf), Ns, cancellationToken: Ct);
        await _client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet(), Ns, cancellationToken: Ct);

        var pod = await EventuallyAsync(async () => await _client.CoreV1.ReadNamespacedPodAsync("rs0-0", Ns, cancellationToken: Ct)
            is { Status.PodIP.Length: > 0 } p && p.Status.Conditions.Any(c => c is { Type: "Ready", Status: "True" }) ? p : null, "Ready pod");
        var secret = await _client.CoreV1.ReadNamespacedSecretAsync(MongodPodFixture.TlsSecretName, Ns, cancellationToken: Ct);
        var hello = await HelloAsync(pod.Status.PodIP, secret);
        Assert.Equal(1.0, hello["ok"].ToDouble());
        Assert.True(hello["isreplicaset"].AsBoolean);

        // mongod refuses x509 cluster auth without TLS; the recreated pod crash-loops with that reason.
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(ConfigMap(MongodPodFixture.ValidConf.Replace("mode: requireTLS", "mode: disabled",
            StringComparison.Ordinal)), MongodPodFixture.ConfigMapName, Ns, cancellationToken: Ct);
        // Generic client: the typed DeletePod expects a Pod back, but an immediate delete answers with a Status.
        using var pods = new GenericClient(_client, "", "v1", "pods", disposeClient: false);
        await pods.DeleteNamespacedAsync<V1Status>(Ns, "rs0-0", Ct);
        var waiting = await EventuallyAsync(async () => (await _client.CoreV1.ReadNamespacedPodAsync("rs0-0", Ns, cancellationToken: Ct))
            .Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting, "CrashLoopBackOff");
        Assert.Equal("CrashLoopBackOff", waiting.Reason);
        Assert.Contains("TLS-based clusterAuthMode", waiting.Message, StringComparison.Ordinal);
    }

    // kubelet: a Secret volume whose Secret does not exist fails MountVolume.SetUp; the pod stays Pending with its
    // containers waiting (PodInitializing, as this pod has an init container) and a Warning FailedMount Event from
    // the kubelet; once the Secret exists the mount is retried and the pod starts.
    [Fact]
    public async Task A_missing_Secret_keeps_the_pod_creating_with_a_FailedMount_event_until_the_Secret_appears()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(MongodPodFixture.ValidConf), Ns, cancellationToken: Ct);
        await _client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet(), Ns, cancellationToken: Ct);

        var failed = await EventuallyAsync(async () => (await _client.CoreV1.ListNamespacedEventAsync(Ns, cancellationToken: Ct)).Items
            .FirstOrDefault(e => e.Reason == "FailedMount"), "FailedMount event");
        Assert.Equal(("Warning", "kubelet", "Pod", "rs0-0"), (failed.Type, failed.Source.Component, failed.InvolvedObject.Kind, failed.InvolvedObject.Name));
        Assert.Equal($"MountVolume.SetUp failed for volume \"tls\" : secret \"{MongodPodFixture.TlsSecretName}\" not found", failed.Message);
        var pod = await _client.CoreV1.ReadNamespacedPodAsync("rs0-0", Ns, cancellationToken: Ct);
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal("PodInitializing", pod.Status.ContainerStatuses.Single().State.Waiting.Reason);
        Assert.Equal("PodInitializing", pod.Status.InitContainerStatuses.Single().State.Waiting.Reason);
        Assert.Equal(0, pod.Status.ContainerStatuses.Single().RestartCount); // nothing ran: no CrashLoopBackOff

        await IssueMemberCertificateAsync();
        await EventuallyAsync(async () => await _client.CoreV1.ReadNamespacedPodAsync("rs0-0", Ns, cancellationToken: Ct)
            is { Status.Phase: "Running" } p && p.Status.Conditions.Any(c => c is { Type: "Ready", Status: "True" }) ? p : null, "started pod");
    }

    // The hang switch: the annotation freezes the pod's mongod (its port still accepts); the container keeps running
    // and an exec readiness probe fails failureThreshold (3) times, one periodSeconds (10) apart on the simulated
    // clock, before Ready turns False; clearing it makes the next probe pass (successThreshold 1).
    [Fact]
    public async Task The_hang_annotation_stops_mongod_answering_and_readiness_goes_False_while_the_pod_runs()
    {
        await IssueMemberCertificateAsync();
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(MongodPodFixture.ValidConf), Ns, cancellationToken: Ct);
        var set = StatefulSet();
        set.Spec.Template.Spec.Containers[0].ReadinessProbe = new V1Probe
        {
            Exec = new V1ExecAction { Command = ["mongosh", "--quiet", "--eval", "db.adminCommand('ping')"] },
        };
        await _client.AppsV1.CreateNamespacedStatefulSetAsync(set, Ns, cancellationToken: Ct);
        await EventuallyAsync(async () => await _client.CoreV1.ReadNamespacedPodAsync("rs0-0", Ns, cancellationToken: Ct)
            is { Status.PodIP.Length: > 0 } p && p.Status.Conditions.Any(c => c is { Type: "Ready", Status: "True" }) ? p : null, "Ready pod");

        await SetHangAsync("true");
        var unready = await EventuallyAsync(async () =>
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            var p = await _client.CoreV1.ReadNamespacedPodAsync("rs0-0", Ns, cancellationToken: Ct);
            return p.Status.Conditions.Any(c => c is { Type: "Ready", Status: "False" }) ? p : null;
        }, "Ready=False");

        Assert.Equal("Running", unready.Status.Phase);
        var container = unready.Status.ContainerStatuses.Single();
        Assert.NotNull(container.State.Running);
        Assert.Equal((false, 0), (container.Ready, container.RestartCount));
        Assert.Equal("ContainersNotReady", unready.Status.Conditions.Single(c => c.Type == "Ready").Reason);
        Assert.False(_workload.Answers(unready));

        await SetHangAsync("false");
        await EventuallyAsync(async () =>
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            var p = await _client.CoreV1.ReadNamespacedPodAsync("rs0-0", Ns, cancellationToken: Ct);
            return p.Status.Conditions.Any(c => c is { Type: "Ready", Status: "True" }) ? p : null;
        }, "Ready again");
    }

    [Fact]
    public async Task A_killed_mongod_is_restarted_by_the_kubelet_in_the_same_pod_with_exit_code_137_and_answers_again()
    {
        await IssueMemberCertificateAsync();
        await _client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(MongodPodFixture.ValidConf), Ns, cancellationToken: Ct);
        await _client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet(), Ns, cancellationToken: Ct);
        var pod = await EventuallyAsync(async () => await _client.CoreV1.ReadNamespacedPodAsync("rs0-0", Ns, cancellationToken: Ct)
            is { Status.PodIP.Length: > 0 } p && p.Status.Conditions.Any(c => c is { Type: "Ready", Status: "True" }) ? p : null, "Ready pod");
        var before = _workload.HostOf(pod.Metadata.Uid);

        var refused = await _workload.InjectAsync(Ns, "rs0-9", MemberFault.Kill, [], TimeSpan.Zero);
        var killed = await _workload.InjectAsync(Ns, "rs0-0", MemberFault.Kill, [], TimeSpan.Zero);
        var restarted = await EventuallyAsync(async () => await _client.CoreV1.ReadNamespacedPodAsync("rs0-0", Ns, cancellationToken: Ct)
            is { } p && p.Status.ContainerStatuses.Single().RestartCount == 1 ? p : null, "restartCount 1");

        Assert.Equal("no running mongod in pod phi-db/rs0-9", refused);
        Assert.Null(killed);
        Assert.Equal(pod.Metadata.Uid, restarted.Metadata.Uid); // the same pod: only its container restarted
        var container = restarted.Status.ContainerStatuses.Single();
        Assert.Equal((137, "Error"), (container.LastState.Terminated.ExitCode, container.LastState.Terminated.Reason));
        Assert.NotNull(container.State.Running);
        var after = _workload.HostOf(pod.Metadata.Uid);
        Assert.NotNull(after);
        Assert.NotSame(before, after);
        Assert.True(_workload.Answers(restarted));
    }

    private Task<V1Pod> SetHangAsync(string value) => _client.CoreV1.PatchNamespacedPodAsync(new V1Patch(
        "{\"metadata\":{\"annotations\":{\"sim.hipaa-mongo.io/hang\":\"" + value + "\"}}}", V1Patch.PatchType.MergePatch), "rs0-0", Ns,
        cancellationToken: Ct);

    private async Task IssueMemberCertificateAsync()
    {
        async Task Create(object o, string plural) => await _client.CustomObjects.CreateNamespacedCustomObjectAsync(o, CertManagerApi.Group,
            CertManagerApi.Version, Ns, plural, cancellationToken: Ct);
        await Create(new Issuer { Metadata = new() { Name = "bootstrap", NamespaceProperty = Ns }, Spec = new() { SelfSigned = new() } }, "issuers");
        await Create(Certificate("ca", new CertificateSpec
        {
            SecretName = "ca",
            CommonName = "test-ca",
            IsCA = true,
            IssuerRef = new IssuerReference { Name = "bootstrap" },
        }), "certificates");
        await Create(new Issuer { Metadata = new() { Name = "ca", NamespaceProperty = Ns }, Spec = new() { CA = new() { SecretName = "ca" } } }, "issuers");
        await Create(Certificate("member", new CertificateSpec
        {
            SecretName = MongodPodFixture.TlsSecretName,
            CommonName = "rs0",
            Subject = new X509Subject { Organizations = ["hipaa-mongo"], OrganizationalUnits = ["mongodb-rs0-member"] },
            DnsNames = ["rs0-0.rs0-hs.phi-db.svc.cluster.local"],
            Usages = ["digital signature", "key encipherment", "server auth", "client auth"],
            AdditionalOutputFormats = [new CertificateAdditionalOutputFormat { Type = "CombinedPEM" }],
            IssuerRef = new IssuerReference { Name = "ca" },
        }), "certificates");
    }

    private static Certificate Certificate(string name, CertificateSpec spec) =>
        new() { Metadata = new() { Name = name, NamespaceProperty = Ns }, Spec = spec };

    private static V1ConfigMap ConfigMap(string conf) => new()
    {
        Metadata = new() { Name = MongodPodFixture.ConfigMapName, NamespaceProperty = Ns },
        Data = new Dictionary<string, string> { ["mongod.conf"] = conf },
    };

    private static V1StatefulSet StatefulSet()
    {
        var spec = MongodPodFixture.Pod("unused").Spec;
        spec.Volumes = [.. spec.Volumes.Where(v => v.PersistentVolumeClaim is null)]; // the claim comes from the template
        return new V1StatefulSet
        {
            Metadata = new() { Name = "rs0", NamespaceProperty = Ns },
            Spec = new V1StatefulSetSpec
            {
                Replicas = 1,
                ServiceName = "rs0-hs",
                PodManagementPolicy = "Parallel",
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "rs0" } },
                Template = new V1PodTemplateSpec { Metadata = new() { Labels = new Dictionary<string, string> { ["app"] = "rs0" } }, Spec = spec },
                VolumeClaimTemplates =
                [
                    new V1PersistentVolumeClaim
                    {
                        Metadata = new() { Name = "data" },
                        Spec = new V1PersistentVolumeClaimSpec
                        {
                            AccessModes = ["ReadWriteOnce"],
                            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                        },
                    },
                ],
            },
        };
    }

    // The member certificate doubles as the client certificate (it has client auth); the server's must chain to ca.crt.
    // The pod IP is not a SAN (cert-manager cannot know it), so only the chain is checked here; the unit test checks names.
    private async Task<BsonDocument> HelloAsync(string ip, V1Secret secret)
    {
        var ca = X509Certificate2.CreateFromPem(MongodPodFixture.Text(secret.Data, "ca.crt"));
        var settings = MongoClientSettings.FromConnectionString($"mongodb://{ip}:27017/?directConnection=true&tls=true");
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(20);
        settings.SslSettings = new SslSettings
        {
            ClientCertificates = [X509Certificate2.CreateFromPem(MongodPodFixture.Text(secret.Data, "tls.crt"), MongodPodFixture.Text(secret.Data, "tls.key"))],
            ServerCertificateValidationCallback = (_, cert, _, _) => cert is not null && ChainsTo(new X509Certificate2(cert), ca),
        };
        using var client = new MongoClient(settings);
        return await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: Ct);
    }

    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    // Polls, within the class's 120 s budget.
    private Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
        where T : class =>
        Eventually.FoundAsync(probe, what, TimeSpan.FromSeconds(90), e => e is HttpOperationException, Ct);
}
