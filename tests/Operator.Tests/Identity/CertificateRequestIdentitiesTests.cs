using System.Text;
using HipaaMongo.ClusterSimulations;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.ClusterSimulations.Clock;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Identity;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.Operator.Tests.Identity;

/// <summary>
/// The operator's client identities obtained from the simulated cert-manager through CertificateRequests: the
/// identity mongod sees is the one the rendered Certificate gives, the key is never written anywhere, it is renewed
/// at two thirds of its lifetime, and a denied request is one clear line.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class CertificateRequestIdentitiesTests : IAsyncLifetime
{
    private const string Ns = "clinical";
    private const string Name = "phi-db";
    private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly SimulationClock _clock = new(new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero));
    private LocalClusterServer _server = null!;
    private Kubernetes _client = null!;
    private CertManagerSimulation? _sim;
    private Task _run = Task.CompletedTask;

    private CancellationToken Ct => _cts.Token;

    private static ClientIdentitySpec Spec(ClientRole role = ClientRole.Operator) =>
        new(Ns, Name, "0b7b1a52-0000-4000-8000-000000000001", role, role == ClientRole.Operator ? "hipaa-mongo-operator" : "hipaa-mongo-verifier",
            role == ClientRole.Operator ? "mongodb-phi-db-operator" : "mongodb-phi-db-verifier",
            new IssuerRefModel(Names.CaIssuer(Name)), "2160h");

    public async ValueTask InitializeAsync()
    {
        _cts.CancelAfter(TimeSpan.FromSeconds(120));
        _server = await LocalClusterServer.StartAsync(new LocalClusterOptions(), Ct);
        _client = _server.CreateClient();
        await ClusterSimulationSet.InstallCertManagerCrdsAsync(_client, Ct);
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = Ns } }, cancellationToken: Ct);
        // The chain the operator renders for a set without spec.tls.issuerRef: selfSigned -> CA Certificate -> CA Issuer.
        await CreateAsync(new Issuer { Metadata = new() { Name = Names.SelfSignedIssuer(Name), NamespaceProperty = Ns }, Spec = new() { SelfSigned = new() } }, "issuers");
        await CreateAsync(new Certificate
        {
            Metadata = new() { Name = Names.CaCertificate(Name), NamespaceProperty = Ns },
            Spec = new()
            {
                SecretName = Names.CaSecret(Name),
                CommonName = "phi-db-ca",
                IsCA = true,
                Duration = "43800h",
                PrivateKey = new() { Algorithm = "ECDSA", Size = 384 },
                IssuerRef = new() { Name = Names.SelfSignedIssuer(Name), Kind = "Issuer" },
            },
        }, "certificates");
        await CreateAsync(new Issuer { Metadata = new() { Name = Names.CaIssuer(Name), NamespaceProperty = Ns }, Spec = new() { CA = new() { SecretName = Names.CaSecret(Name) } } }, "issuers");
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _run;
        _sim?.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
        _cts.Dispose();
    }

    private Task<object> CreateAsync(object obj, string plural) =>
        _client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, CertManagerApi.Group, CertManagerApi.Version, Ns, plural, cancellationToken: Ct);

    private void StartCertManager(bool approve = true)
    {
        _sim = new CertManagerSimulation(_client, _clock, NullLoggerFactory.Instance, new CertManagerOptions { ApproveRequests = approve });
        _run = _sim.RunAsync(Ct);
    }

    private CertificateRequestIdentities Identities() => new(_client, _clock, NullLogger<CertificateRequestIdentities>.Instance);

    private int RequestsCreated => _server.AuditTrail.Writes.Count(w => w.Resource == "certificaterequests" && w.Verb == "create" && w.Code < 300);

    private async Task<System.Security.Cryptography.X509Certificates.X509Certificate2> OtherThanAsync(CertificateRequestIdentities identities, ClientIdentitySpec spec, string thumbprint)
    {
        while (true)
        {
            var r = await identities.GetAsync(spec, Ct);
            if (r.Certificate is { } c && c.Thumbprint != thumbprint)
            {
                return c;
            }
            r.Certificate?.Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
        }
    }

    // Asks until the CA chain is issued (the first asks wait for the CA Issuer to become Ready).
    private static async Task<IdentityResult> IssuedAsync(CertificateRequestIdentities identities, ClientIdentitySpec spec, CancellationToken ct)
    {
        while (true)
        {
            var r = await identities.GetAsync(spec, ct);
            if (r.Certificate is not null)
            {
                return r;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    [Fact]
    public async Task The_identity_is_the_rendered_Certificates_subject_with_a_key_no_Secret_holds_and_the_request_is_gone_after()
    {
        StartCertManager();
        // What the rendered client Certificate would give: the subject mongod maps to the operator's user.
        await CreateAsync(new Certificate
        {
            Metadata = new() { Name = "rendered-operator", NamespaceProperty = Ns },
            Spec = new()
            {
                SecretName = "rendered-operator-tls",
                CommonName = "hipaa-mongo-operator",
                Subject = new() { Organizations = ["hipaa-mongo"], OrganizationalUnits = ["mongodb-phi-db-operator"] },
                Usages = ["digital signature", "key encipherment", "client auth"],
                IssuerRef = new() { Name = Names.CaIssuer(Name), Kind = "Issuer" },
            },
        }, "certificates");

        var identities = Identities();
        var result = await IssuedAsync(identities, Spec(), Ct);
        using var cert = result.Certificate!;
        Assert.True(cert.HasPrivateKey);
        Assert.Null(result.Problem);

        var rendered = await OperatorHarness.EventuallyAsync(
            () => KubernetesErrorsOrNull(() => _client.CoreV1.ReadNamespacedSecretAsync("rendered-operator-tls", Ns, cancellationToken: Ct)),
            s => s is not null, "the rendered Certificate's Secret", Ct);
        using var renderedCert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(rendered!.Data["tls.crt"]));
        Assert.Equal(Convert.ToHexString(renderedCert.SubjectName.RawData), Convert.ToHexString(cert.SubjectName.RawData));
        var caSecret = await _client.CoreV1.ReadNamespacedSecretAsync(Names.CaSecret(Name), Ns, cancellationToken: Ct);
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(caSecret.Data["tls.crt"]));
        using var fromStatus = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(result.CaPem);
        Assert.Equal(ca.Thumbprint, fromStatus.Thumbprint);
        Assert.Equal(ca.SubjectName.Name, cert.IssuerName.Name);

        // The key is in this process only: no Secret carries the identity's public key, and the request was deleted.
        var spki = Convert.ToBase64String(cert.PublicKey.ExportSubjectPublicKeyInfo());
        var secrets = await _client.CoreV1.ListNamespacedSecretAsync(Ns, cancellationToken: Ct);
        Assert.DoesNotContain(secrets.Items, s => s.Data?.Values.Any(v => Encoding.ASCII.GetString(v).Contains(spki, StringComparison.Ordinal)) == true
            || s.Data?.Values.Any(v => PemCertificatesShareKey(v, cert)) == true);
        Assert.Equal(1, RequestsCreated);
        var left = await _client.CustomObjects.ListNamespacedCustomObjectAsync<System.Text.Json.JsonElement>(CertManagerApi.Group, CertManagerApi.Version, Ns,
            "certificaterequests", cancellationToken: Ct);
        Assert.Empty(left.GetProperty("items").EnumerateArray());

        // Asked again before renewal: the same identity, no new request.
        using var again = (await identities.GetAsync(Spec(), Ct)).Certificate!;
        Assert.Equal(cert.Thumbprint, again.Thumbprint);
        Assert.Equal(1, RequestsCreated);
    }

    [Fact]
    public async Task Renewed_at_two_thirds_of_its_lifetime_and_not_before()
    {
        StartCertManager();
        var identities = Identities();
        using var first = (await IssuedAsync(identities, Spec(ClientRole.Verifier), Ct)).Certificate!;
        var lifetime = first.NotAfter - first.NotBefore;
        Assert.Equal(TimeSpan.FromHours(2160), lifetime);

        _clock.SetUtcNow(new DateTimeOffset(first.NotBefore.ToUniversalTime()) + (lifetime * 2 / 3) - TimeSpan.FromMinutes(1));
        using (var before = (await identities.GetAsync(Spec(ClientRole.Verifier), Ct)).Certificate!)
        {
            Assert.Equal(first.Thumbprint, before.Thumbprint);
        }
        Assert.Equal(1, RequestsCreated);

        _clock.Advance(TimeSpan.FromMinutes(2));
        using var renewed = (await identities.GetAsync(Spec(ClientRole.Verifier), Ct)).Certificate!;
        Assert.NotEqual(first.Thumbprint, renewed.Thumbprint);
        Assert.True(renewed.NotAfter > first.NotAfter);
        Assert.False(renewed.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(first.PublicKey.ExportSubjectPublicKeyInfo()));
        Assert.Equal(2, RequestsCreated);
    }

    [Fact]
    public async Task RenewNow_requests_a_new_identity_at_once_and_a_probe_is_an_identity_of_its_own()
    {
        StartCertManager();
        var identities = Identities();
        using var first = (await IssuedAsync(identities, Spec(), Ct)).Certificate!;
        using var probe = (await IssuedAsync(identities, Spec().AsProbe(), Ct)).Certificate!;
        Assert.NotEqual(first.Thumbprint, probe.Thumbprint);
        Assert.Equal(first.SubjectName.Name, probe.SubjectName.Name); // the same user, another key
        Assert.Equal(2, RequestsCreated);

        identities.RenewNow(Spec());
        // The held one serves until the new one is issued; then the new one, from a third request.
        using var renewed = await OtherThanAsync(identities, Spec(), first.Thumbprint);
        Assert.Equal(3, RequestsCreated);
        using var held = (await identities.GetAsync(Spec(), Ct)).Certificate!;
        Assert.Equal(renewed.Thumbprint, held.Thumbprint); // asked once: no further request
        using var probeHeld = (await identities.GetAsync(Spec().AsProbe(), Ct)).Certificate!;
        Assert.Equal(probe.Thumbprint, probeHeld.Thumbprint);
        Assert.Equal(3, RequestsCreated);
    }

    [Fact]
    public async Task A_denied_request_is_one_line_naming_it_and_no_new_request_follows_at_once()
    {
        StartCertManager(approve: false);
        var identities = Identities();
        var ask = identities.GetAsync(Spec(), Ct);
        var pending = await OperatorHarness.EventuallyAsync(async () =>
            (await _client.CustomObjects.ListNamespacedCustomObjectAsync<System.Text.Json.JsonElement>(CertManagerApi.Group, CertManagerApi.Version, Ns,
                "certificaterequests", cancellationToken: Ct)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()).FirstOrDefault(),
            n => n is not null, "the operator's CertificateRequest", Ct);
        var waiting = await ask;
        Assert.Null(waiting.Certificate);
        Assert.Equal($"waiting for CertificateRequest {Ns}/{pending}: not approved yet", waiting.Problem);

        await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(
            """{"status":{"conditions":[{"type":"Denied","status":"True","reason":"policy.cert-manager.io","message":"no policy allows this subject"}]}}""",
            V1Patch.PatchType.MergePatch), CertManagerApi.Group, CertManagerApi.Version, Ns, "certificaterequests", pending, cancellationToken: Ct);
        var denied = await identities.GetAsync(Spec(), Ct);
        Assert.Equal($"CertificateRequest {Ns}/{pending} for the operator identity was denied: no policy allows this subject", denied.Problem);
        Assert.Null(denied.Certificate);

        var again = await identities.GetAsync(Spec(), Ct);
        Assert.Equal(denied.Problem, again.Problem);
        Assert.Equal(1, RequestsCreated);
        _clock.Advance(CertificateRequestIdentities.RetryAfterFailure);
        _ = await identities.GetAsync(Spec(), Ct);
        Assert.Equal(2, RequestsCreated);
    }

    private static async Task<V1Secret?> KubernetesErrorsOrNull(Func<Task<V1Secret>> get)
    {
        try
        {
            return await get();
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            return null;
        }
    }

    private static bool PemCertificatesShareKey(byte[] value, System.Security.Cryptography.X509Certificates.X509Certificate2 cert)
    {
        var text = Encoding.ASCII.GetString(value);
        if (!text.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal))
        {
            return false;
        }
        var all = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        all.ImportFromPem(text);
        return all.Any(c => c.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(cert.PublicKey.ExportSubjectPublicKeyInfo()));
    }
}
