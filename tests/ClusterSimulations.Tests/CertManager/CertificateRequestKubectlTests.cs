using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.ClusterSimulations.Tests.CertManager;

/// <summary>
/// The simulated cert-manager's CertificateRequest handling as a user sees it through the real kubectl: approval
/// by cert-manager's internal approver, signing only once Approved, Denied and an unsignable CSR. Conditions,
/// reasons and messages are cert-manager's (pkg/controller/certificaterequests/approver/sync.go, sync.go,
/// util/reporter.go, ca/ca.go).
/// </summary>
public sealed class CertificateRequestKubectlTests : IAsyncLifetime
{
    private const string Ns = "phi-db";
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-cr-kubectl-").FullName;
    private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly IssuedCertificate _ca = Pki.IssueCa();
    private LocalClusterServer _server = null!;
    private Kubernetes _client = null!;
    private CertManagerSimulation? _sim;
    private Task _run = Task.CompletedTask;

    private string Kubeconfig => Path.Combine(_dir, "kubeconfig");

    public async ValueTask InitializeAsync()
    {
        _cts.CancelAfter(TimeSpan.FromSeconds(150));
        _server = await LocalClusterServer.StartAsync(new LocalClusterOptions { KubeconfigPath = Kubeconfig }, _cts.Token);
        _client = _server.CreateClient();
        await ClusterSimulationSet.InstallCertManagerCrdsAsync(_client, _cts.Token);
        var b64 = (string key) => Convert.ToBase64String(_ca.Data[key]);
        await KubectlOk(null, "create", "namespace", Ns);
        await KubectlOk($$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: root-ca, namespace: {{Ns}}}
            type: kubernetes.io/tls
            data: {tls.crt: {{b64(CertManagerApi.TlsCrt)}}, tls.key: {{b64(CertManagerApi.TlsKey)}}}
            ---
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata: {name: phi-internal-ca, namespace: {{Ns}}}
            spec:
              ca:
                secretName: root-ca
            """, "apply", "-f", "-");
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _run;
        _sim?.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
        _cts.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private void Start(bool approve)
    {
        _sim = new CertManagerSimulation(_client, TimeProvider.System, NullLoggerFactory.Instance, new CertManagerOptions { ApproveRequests = approve });
        _run = _sim.RunAsync(_cts.Token);
    }

    private Task<(int Code, string Stdout, string Stderr)> Kubectl(string? stdin, params string[] args) =>
        KubectlProcess.RunAsync(Kubeconfig, _dir, stdin, _cts.Token, args);

    private async Task<string> KubectlOk(string? stdin, params string[] args)
    {
        var r = await Kubectl(stdin, args);
        Assert.True(r.Code == 0, $"kubectl {string.Join(' ', args)}: {r.Stderr}");
        return r.Stdout;
    }

    private static string Csr(string cn, string ou)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(cn);
        subject.AddOrganizationalUnitName(ou);
        subject.AddOrganizationName("hipaa-mongo");
        return new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA384).CreateSigningRequestPem();
    }

    private static string Request(string name, string csrPem) => $$"""
        apiVersion: cert-manager.io/v1
        kind: CertificateRequest
        metadata: {name: {{name}}, namespace: {{Ns}}}
        spec:
          request: {{Convert.ToBase64String(Encoding.ASCII.GetBytes(csrPem))}}
          issuerRef: {name: phi-internal-ca, kind: Issuer, group: cert-manager.io}
          usages: [digital signature, key encipherment, client auth]
          duration: 24h
        """;

    private async Task<JsonElement> GetAsync(string name) =>
        JsonDocument.Parse(await KubectlOk(null, "get", "certificaterequest", "-n", Ns, name, "-o", "json")).RootElement;

    private static JsonElement? Condition(JsonElement cr, string type) =>
        cr.TryGetProperty("status", out var s) && s.TryGetProperty("conditions", out var cs)
            ? cs.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(c => c!.Value.GetProperty("type").GetString() == type) : null;

    private async Task<JsonElement> WaitForReadyReasonAsync(string name, string reason)
    {
        await KubectlOk(null, "wait", "-n", Ns, $"certificaterequest/{name}", $"--for=jsonpath={{.status.conditions[?(@.type==\"Ready\")].reason}}={reason}",
            "--timeout=60s");
        return await GetAsync(name);
    }

    private async Task<string> EventsAsync(string name) =>
        await KubectlOk(null, "get", "events", "-n", Ns, "--field-selector", $"involvedObject.name={name}",
            "-o", "jsonpath={range .items[*]}{.type} {.reason} {.message}{\"\\n\"}{end}");

    [Fact]
    public async Task Approved_by_cert_managers_approver_and_signed_with_the_chain_in_status_and_the_CA()
    {
        Start(approve: true);
        var csr = Csr("hipaa-mongo-operator", "mongodb-phi-db-operator");
        await KubectlOk(Request("operator-1", csr), "create", "-f", "-");

        var cr = await WaitForReadyReasonAsync("operator-1", "Issued");
        var approved = Condition(cr, "Approved")!.Value;
        Assert.Equal(("True", "cert-manager.io", "Certificate request has been approved by cert-manager.io"),
            (approved.GetProperty("status").GetString(), approved.GetProperty("reason").GetString(), approved.GetProperty("message").GetString()));
        var ready = Condition(cr, "Ready")!.Value;
        Assert.Equal(("True", "Certificate fetched from issuer successfully"), (ready.GetProperty("status").GetString(), ready.GetProperty("message").GetString()));

        using var leaf = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(cr.GetProperty("status").GetProperty("certificate").GetBytesFromBase64()));
        using var ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(cr.GetProperty("status").GetProperty("ca").GetBytesFromBase64()));
        using var expectedCa = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(_ca.Data[CertManagerApi.TlsCrt]));
        Assert.Equal(expectedCa.Thumbprint, ca.Thumbprint);
        Assert.Equal(CertificateRequest.LoadSigningRequestPem(csr, HashAlgorithmName.SHA384).SubjectName.Name, leaf.SubjectName.Name);
        Assert.Equal(TimeSpan.FromHours(24), leaf.NotAfter - leaf.NotBefore);
        Assert.Contains(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(),
            o => o.Value == "1.3.6.1.5.5.7.3.2");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        var events = await EventsAsync("operator-1");
        Assert.Contains("Normal cert-manager.io Certificate request has been approved by cert-manager.io", events, StringComparison.Ordinal);
        Assert.Contains("Normal CertificateIssued Certificate fetched from issuer successfully", events, StringComparison.Ordinal);
        var printed = await KubectlOk(null, "get", "cr", "-n", Ns, "operator-1");
        Assert.Matches(@"operator-1\s+True\s+True\s+phi-internal-ca", printed);

        var edit = await Kubectl(null, "patch", "certificaterequest", "-n", Ns, "operator-1", "--type=merge", "-p", """{"spec":{"duration":"48h"}}""");
        Assert.NotEqual(0, edit.Code);
        Assert.Contains("cannot change spec after creation", edit.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_approval_nothing_is_signed_until_an_approver_sets_Approved()
    {
        Start(approve: false);
        await KubectlOk(Request("verifier-1", Csr("hipaa-mongo-verifier", "mongodb-phi-db-verifier")), "create", "-f", "-");
        // kubectl wait refuses a selector that matches nothing yet, so the Event is polled for (the test's timeout bounds it).
        while (!(await EventsAsync("verifier-1")).Contains("Normal WaitingForApproval Not signing CertificateRequest until it is Approved", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), _cts.Token);
        }
        var waiting = await GetAsync("verifier-1");
        Assert.Null(Condition(waiting, "Ready"));
        Assert.False(waiting.TryGetProperty("status", out var st) && st.TryGetProperty("certificate", out _));

        await KubectlOk(null, "patch", "certificaterequest", "-n", Ns, "verifier-1", "--subresource=status", "--type=merge", "-p",
            """{"status":{"conditions":[{"type":"Approved","status":"True","reason":"policy.cert-manager.io","message":"approved by a test"}]}}""");
        var issued = await WaitForReadyReasonAsync("verifier-1", "Issued");
        Assert.True(issued.GetProperty("status").GetProperty("certificate").GetBytesFromBase64().Length > 0);
    }

    [Fact]
    public async Task A_denied_request_is_Ready_False_Denied_with_a_failureTime_and_no_certificate()
    {
        Start(approve: false);
        await KubectlOk(Request("denied-1", Csr("hipaa-mongo-operator", "mongodb-phi-db-operator")), "create", "-f", "-");
        await KubectlOk(null, "patch", "certificaterequest", "-n", Ns, "denied-1", "--subresource=status", "--type=merge", "-p",
            """{"status":{"conditions":[{"type":"Denied","status":"True","reason":"policy.cert-manager.io","message":"not allowed"}]}}""");
        var denied = await WaitForReadyReasonAsync("denied-1", "Denied");
        Assert.Equal("The CertificateRequest was denied by an approval controller", Condition(denied, "Ready")!.Value.GetProperty("message").GetString());
        Assert.True(denied.GetProperty("status").TryGetProperty("failureTime", out _));
        Assert.False(denied.GetProperty("status").TryGetProperty("certificate", out _));
    }

    [Fact]
    public async Task A_CSR_whose_signature_does_not_verify_fails_terminally_with_a_Warning()
    {
        Start(approve: true);
        // A valid CSR with one byte of its signature flipped: it parses, but its self-signature does not verify.
        var pem = Csr("hipaa-mongo-operator", "mongodb-phi-db-operator");
        var der = Convert.FromBase64String(pem[PemEncoding.Find(pem).Base64Data]);
        der[^3] ^= 0x01;
        await KubectlOk(Request("bad-1", PemEncoding.WriteString("CERTIFICATE REQUEST", der)), "create", "-f", "-");
        var failed = await WaitForReadyReasonAsync("bad-1", "Failed");
        var message = Condition(failed, "Ready")!.Value.GetProperty("message").GetString()!;
        Assert.StartsWith("Error generating certificate template: ", message, StringComparison.Ordinal);
        Assert.True(failed.GetProperty("status").TryGetProperty("failureTime", out _));
        Assert.False(failed.GetProperty("status").TryGetProperty("certificate", out _));
        Assert.Contains("Warning SigningError Error generating certificate template", await EventsAsync("bad-1"), StringComparison.Ordinal);
    }
}
