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

    // Polls (never sleeps for a fixed time to pass); the test's overall timeout bounds it.
    private async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        while (true)
        {
            Ct.ThrowIfCancellationRequested();
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (HttpOperationException)
            {
                // not there yet
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), Ct).ContinueWith(_ => { }, TaskScheduler.Default);
            if (Ct.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
        }
    }

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
}
