using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.ClusterSimulations.Tests.Mongod;

/// <summary>`local-cluster --simulate all` with the real kubectl: a Certificate applied by hand becomes a Secret.</summary>
public sealed class LocalClusterSimulateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-lc-sim-").FullName;
    private Process? _server;

    private string Kubeconfig => Path.Combine(_dir, "kubeconfig");

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }
        _server?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private const string Manifests = """
        apiVersion: cert-manager.io/v1
        kind: Issuer
        metadata: {name: bootstrap, namespace: default}
        spec: {selfSigned: {}}
        ---
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: member, namespace: default}
        spec:
          secretName: member-tls
          commonName: rs0
          dnsNames: [rs0-0.rs0-hs.default.svc.cluster.local]
          subject: {organizationalUnits: [mongodb-rs0-member]}
          additionalOutputFormats: [{type: CombinedPEM}]
          issuerRef: {name: bootstrap}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web, namespace: default}
        spec:
          replicas: 2
          serviceName: web-hs
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "nginx:1.27"}]}
          volumeClaimTemplates:
          - metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """;

    [Fact]
    public async Task A_Certificate_and_a_StatefulSet_applied_with_kubectl_get_their_Secret_pods_and_claims()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(120));
        await StartServerAsync(cts.Token);

        // The CRDs are installed by the simulation after start; apply until they are served.
        await UntilAsync(async () => (await KubectlAsync(Manifests, cts.Token, "apply", "-f", "-")).Code == 0, cts.Token);
        string? pem = null;
        await UntilAsync(async () =>
        {
            var r = await KubectlAsync(null, cts.Token, "get", "secret", "member-tls", "-o", "jsonpath={.data.tls\\.crt}");
            pem = r.Code == 0 && r.Stdout.Length > 0 ? System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(r.Stdout)) : null;
            return pem is not null;
        }, cts.Token);

        using var leaf = X509Certificate2.CreateFromPem(pem!);
        Assert.Contains("OU=mongodb-rs0-member", leaf.Subject, StringComparison.Ordinal);
        Assert.Equal("rs0-0.rs0-hs.default.svc.cluster.local", leaf.GetNameInfo(X509NameType.DnsName, forIssuer: false));
        var keys = await KubectlAsync(null, cts.Token, "get", "secret", "member-tls", "-o", "go-template={{range $k, $v := .data}}{{$k}} {{end}}");
        Assert.Equal("ca.crt tls-combined.pem tls.crt tls.key", keys.Stdout.Trim());

        await UntilAsync(async () => (await KubectlAsync(null, cts.Token, "get", "statefulset", "web", "-o", "jsonpath={.status.readyReplicas}"))
            .Stdout == "2", cts.Token);
        var pods = await KubectlAsync(null, cts.Token, "get", "pods", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}");
        Assert.Equal("web-0=Running web-1=Running", pods.Stdout.Trim());
        var claims = await KubectlAsync(null, cts.Token, "get", "pvc", "-o", "jsonpath={.items[*].metadata.name}");
        Assert.Equal("data-web-0 data-web-1", claims.Stdout.Trim());
        var phases = await KubectlAsync(null, cts.Token, "get", "pvc", "-o", "jsonpath={range .items[*]}{.status.phase}={.spec.volumeName} {end}");
        Assert.All(phases.Stdout.Trim().Split(' '), p => Assert.StartsWith("Bound=pvc-", p, StringComparison.Ordinal));
        var volumes = await KubectlAsync(null, cts.Token, "get", "pv", "-o", "jsonpath={range .items[*]}{.status.phase}/{.spec.claimRef.name} {end}");
        Assert.Equal("Bound/data-web-0 Bound/data-web-1", string.Join(' ', volumes.Stdout.Trim().Split(' ').Order(StringComparer.Ordinal)));
        var revisions = await KubectlAsync(null, cts.Token, "get", "controllerrevisions", "-o", "jsonpath={.items[*].metadata.name}");
        var updateRevision = await KubectlAsync(null, cts.Token, "get", "statefulset", "web", "-o", "jsonpath={.status.updateRevision}");
        Assert.Equal(updateRevision.Stdout.Trim(), revisions.Stdout.Trim());
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "local-cluster.dll"), "--kubeconfig", Kubeconfig, "--simulate", "all" })
        {
            psi.ArgumentList.Add(a);
        }
        _server = Process.Start(psi)!;
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginErrorReadLine();
        while (await _server.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("local-cluster: serving", StringComparison.Ordinal))
            {
                _ = _server.StandardOutput.ReadToEndAsync(CancellationToken.None); // keep draining
                return;
            }
        }
        Assert.Fail($"local-cluster exited with {_server.ExitCode} before serving");
    }

    private async Task<(int Code, string Stdout)> KubectlAsync(string? stdin, CancellationToken ct, params string[] args)
    {
        var r = await KubectlProcess.RunAsync(Kubeconfig, _dir, stdin, ct, args);
        return (r.Code, r.Stdout);
    }

    // Polls until the condition holds; the caller's token bounds it.
    private static async Task UntilAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }
}
