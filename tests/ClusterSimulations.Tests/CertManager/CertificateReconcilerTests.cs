using System.Security.Cryptography.X509Certificates;
using System.Text;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.ClusterSimulations.Clock;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.ControllerRuntime.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.ClusterSimulations.Tests.CertManager;

public sealed class CertificateReconcilerTests
{
    private const string Ns = "phi-db";
    private readonly InMemoryCertManagerStore _store = new();
    private readonly SimulationClock _clock = new(Pki.Now);
    private readonly CertManagerOptions _options = new();

    private CertificateReconciler Certs() => new(_store, _clock, _options, NullLogger<CertificateReconciler>.Instance);

    private Task<ReconcileResult> ReconcileCert(string name) => Certs().ReconcileAsync(new ObjectKey(Ns, name), TestContext.Current.CancellationToken);

    private Task<ReconcileResult> ReconcileIssuer(string name) =>
        new IssuerReconciler<Issuer>(_store, _clock, _options).ReconcileAsync(new ObjectKey(Ns, name), TestContext.Current.CancellationToken);

    private Certificate Cert(string name) => _store.Get<Certificate>("Certificate", Ns, name)!;

    private X509Certificate2 SecretLeaf(string secret) =>
        X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(_store.Get<k8s.Models.V1Secret>("Secret", Ns, secret)!.Data["tls.crt"]));

    // selfSigned Issuer -> CA Certificate -> CA Issuer -> member Certificate, as the operator bootstraps it.
    private async Task BootstrapAsync()
    {
        _store.Put("Issuer", new Issuer { Metadata = new() { Name = "bootstrap", NamespaceProperty = Ns, Generation = 1 }, Spec = new() { SelfSigned = new() } });
        _store.Put("Issuer", new Issuer
        {
            Metadata = new() { Name = "phi-internal-ca", NamespaceProperty = Ns, Generation = 1 },
            Spec = new() { CA = new CAIssuer { SecretName = "root-ca" } },
        });
        var ca = Pki.Wrap(Pki.CaSpec(), "root-ca");
        _store.Put("Certificate", ca);
        _store.Put("Certificate", Pki.Wrap(Pki.MemberSpec()));
    }

    [Fact]
    public async Task The_CA_issuer_is_Ready_only_once_its_secret_holds_a_CA_key_pair()
    {
        await BootstrapAsync();
        await ReconcileIssuer("phi-internal-ca");
        var notReady = Conditions.Find(_store.Get<Issuer>("Issuer", Ns, "phi-internal-ca")!.Status!.Conditions, "Ready")!;
        Assert.Equal(("False", "ErrGetKeyPair", 1L), (notReady.Status, notReady.Reason, notReady.ObservedGeneration!.Value));

        await ReconcileCert("root-ca");
        await ReconcileIssuer("phi-internal-ca");
        var ready = Conditions.Find(_store.Get<Issuer>("Issuer", Ns, "phi-internal-ca")!.Status!.Conditions, "Ready")!;
        Assert.Equal(("True", "KeyPairVerified"), (ready.Status, ready.Reason));
    }

    [Fact]
    public async Task A_member_Certificate_waits_for_its_issuer_then_is_issued_and_chains_to_the_CA()
    {
        await BootstrapAsync();
        await ReconcileCert("rs0-member");
        var waiting = Cert("rs0-member").Status!;
        Assert.Equal("True", Conditions.Find(waiting.Conditions, "Issuing")!.Status);
        Assert.Equal(("False", "DoesNotExist"), (Conditions.Find(waiting.Conditions, "Ready")!.Status, Conditions.Find(waiting.Conditions, "Ready")!.Reason));
        Assert.Null(_store.Get<k8s.Models.V1Secret>("Secret", Ns, "rs0-member-tls"));

        await ReconcileCert("root-ca");
        await ReconcileCert("rs0-member");
        var status = Cert("rs0-member").Status!;
        var ready = Conditions.Find(status.Conditions, "Ready")!;
        Assert.Equal(("True", "Ready", 1L), (ready.Status, ready.Reason, ready.ObservedGeneration!.Value));
        Assert.Null(Conditions.Find(status.Conditions, "Issuing"));
        Assert.Equal(1, status.Revision);
        Assert.Equal(Pki.Now.UtcDateTime, status.NotBefore);
        Assert.Equal(Pki.Now.AddHours(2160).UtcDateTime, status.NotAfter);
        Assert.Equal(Pki.Now.AddHours(2160 - 720).UtcDateTime, status.RenewalTime);

        var secret = _store.Get<k8s.Models.V1Secret>("Secret", Ns, "rs0-member-tls")!;
        Assert.Equal("kubernetes.io/tls", secret.Type);
        Assert.Equal(["ca.crt", "tls-combined.pem", "tls.crt", "tls.key"], secret.Data.Keys.Order());
        using var leaf = SecretLeaf("rs0-member-tls");
        using var root = SecretLeaf("root-ca");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Pki.Now.AddHours(1).UtcDateTime;
        Assert.True(chain.Build(leaf));
    }

    [Fact]
    public async Task Reconciling_a_current_Certificate_writes_nothing_and_moving_the_clock_past_renewalTime_renews_it()
    {
        await BootstrapAsync();
        await ReconcileCert("root-ca");
        await ReconcileCert("rs0-member");
        var writes = _store.SecretWrites;
        using var first = SecretLeaf("rs0-member-tls");

        await ReconcileCert("rs0-member");
        Assert.Equal(writes, _store.SecretWrites);

        _clock.SetUtcNow(new DateTimeOffset(Cert("rs0-member").Status!.RenewalTime!.Value, TimeSpan.Zero));
        await ReconcileCert("rs0-member");
        using var second = SecretLeaf("rs0-member-tls");
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.NotEqual(first.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo(), second.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo());
        Assert.Equal(2, Cert("rs0-member").Status!.Revision);
        Assert.Equal(_clock.GetUtcNow().AddHours(2160).UtcDateTime, Cert("rs0-member").Status!.NotAfter);
    }

    [Fact]
    public async Task Issuing_set_True_by_hand_as_cmctl_renew_does_issues_again_from_the_current_CA_and_clears_the_condition()
    {
        await BootstrapAsync();
        await ReconcileCert("root-ca");
        await ReconcileCert("rs0-member");
        using var first = SecretLeaf("rs0-member-tls");
        // The CA replaced (its Secret deleted): the leaf stays on the old CA until someone asks.
        _store.Delete("Secret", Ns, "root-ca");
        await ReconcileCert("root-ca");
        await ReconcileCert("rs0-member");
        using var unchanged = SecretLeaf("rs0-member-tls");
        Assert.Equal(first.SerialNumber, unchanged.SerialNumber);

        var cert = Cert("rs0-member");
        Conditions.Set(cert.Status!.Conditions!, "Issuing", "True", "ManuallyTriggered", "Certificate re-issuance manually triggered",
            cert.Metadata.Generation, Pki.Now.UtcDateTime);
        _store.Put("Certificate", cert);
        await ReconcileCert("rs0-member");

        using var second = SecretLeaf("rs0-member-tls");
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        using var newCa = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(_store.Get<k8s.Models.V1Secret>("Secret", Ns, "root-ca")!.Data["tls.crt"]));
        Assert.Equal(newCa.SubjectName.RawData, second.IssuerName.RawData);
        Assert.True(ChainsTo(second, newCa));
        Assert.Null(Conditions.Find(Cert("rs0-member").Status!.Conditions, "Issuing"));
        Assert.Equal(2, Cert("rs0-member").Status!.Revision);

        // Nothing asked any more: the next pass writes nothing.
        var writes = _store.SecretWrites;
        await ReconcileCert("rs0-member");
        Assert.Equal(writes, _store.SecretWrites);
    }

    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    [Fact]
    public async Task A_deleted_Secret_is_issued_again()
    {
        await BootstrapAsync();
        await ReconcileCert("root-ca");
        await ReconcileCert("rs0-member");
        _store.Delete("Secret", Ns, "rs0-member-tls");
        await ReconcileCert("rs0-member");
        Assert.NotNull(_store.Get<k8s.Models.V1Secret>("Secret", Ns, "rs0-member-tls"));
        Assert.Equal(2, Cert("rs0-member").Status!.Revision);
    }

    [Fact]
    public async Task An_unissuable_spec_reports_Issuing_False_Failed()
    {
        await BootstrapAsync();
        var bad = Pki.Wrap(Pki.MemberSpec(), "bad");
        bad.Spec.SecretName = "bad-tls";
        bad.Spec.IssuerRef = new IssuerReference { Name = "bootstrap" };
        bad.Spec.PrivateKey = new CertificatePrivateKey { Algorithm = "Ed25519" };
        _store.Put("Certificate", bad);
        await ReconcileCert("bad");
        var issuing = Conditions.Find(Cert("bad").Status!.Conditions, "Issuing")!;
        Assert.Equal(("False", "Failed"), (issuing.Status, issuing.Reason));
        Assert.Contains("Ed25519", issuing.Message);
        Assert.NotNull(Cert("bad").Status!.LastFailureTime);
    }
}

public sealed class ClusterIssuerTests
{
    [Fact]
    public async Task A_CA_ClusterIssuer_reads_its_secret_from_the_cluster_resource_namespace()
    {
        var store = new InMemoryCertManagerStore();
        var clock = new SimulationClock(Pki.Now);
        var options = new CertManagerOptions { ClusterResourceNamespace = "cert-manager" };
        var ca = Pki.IssueCa();
        store.Put("Secret", new k8s.Models.V1Secret
        {
            Metadata = new() { Name = "root-ca", NamespaceProperty = "cert-manager" },
            Data = new Dictionary<string, byte[]>(ca.Data),
        });
        store.Put("ClusterIssuer", new ClusterIssuer { Metadata = new() { Name = "phi-ca", Generation = 3 }, Spec = new() { CA = new CAIssuer { SecretName = "root-ca" } } });
        await new IssuerReconciler<ClusterIssuer>(store, clock, options).ReconcileAsync(new ObjectKey(null, "phi-ca"), TestContext.Current.CancellationToken);
        var ready = Conditions.Find(store.Get<ClusterIssuer>("ClusterIssuer", null, "phi-ca")!.Status!.Conditions, "Ready")!;
        Assert.Equal(("True", "KeyPairVerified", 3L), (ready.Status, ready.Reason, ready.ObservedGeneration!.Value));

        var spec = Pki.MemberSpec();
        spec.IssuerRef = new IssuerReference { Name = "phi-ca", Kind = "ClusterIssuer" };
        store.Put("Certificate", Pki.Wrap(spec));
        await new CertificateReconciler(store, clock, options, NullLogger<CertificateReconciler>.Instance)
            .ReconcileAsync(new ObjectKey("phi-db", "rs0-member"), TestContext.Current.CancellationToken);
        var secret = store.Get<k8s.Models.V1Secret>("Secret", "phi-db", "rs0-member-tls")!;
        Assert.Equal("ClusterIssuer", secret.Metadata.Annotations["cert-manager.io/issuer-kind"]);
        Assert.Equal(ca.Data["tls.crt"], secret.Data["ca.crt"]);
    }
}
