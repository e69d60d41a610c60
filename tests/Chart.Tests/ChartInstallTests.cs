using System.Text.Json;
using System.Text.Json.Nodes;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.LocalCluster.Hosting;
using k8s;

namespace HipaaMongo.Chart.Tests;

/// <summary>
/// `helm template ... | kubectl apply -f -` on LocalCluster with RBAC on, then the operator run with the rendered
/// Deployment's own arguments under the chart's ServiceAccount: it starts, takes the Lease and reconciles a
/// HipaaMongo without a single 403, so the chart's RBAC is enough for what the operator does. Its /metrics, asked
/// with real curl: 401 without a token, 403 with a `kubectl create token` of an account without the grant, 200 once
/// that account is bound to the chart's metrics-reader ClusterRole; /healthz stays open.
/// </summary>
public sealed class ChartInstallTests : IAsyncLifetime
{
    private const string Release = "hipaa-mongo-system";
    private const string ServiceAccount = "hm-hipaa-mongo-operator";
    private const string AdminToken = "chart-tests-admin-token";
    private readonly string dir = Path.Combine(Path.GetTempPath(), "hm-chart-" + Guid.NewGuid().ToString("N"));
    private LocalClusterServer server = null!;

    private string AdminKubeconfig => Path.Combine(dir, "admin.kubeconfig");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(dir);
        server = await LocalClusterServer.StartAsync(new LocalClusterOptions
        {
            KubeconfigPath = AdminKubeconfig,
            Token = AdminToken,
            EnableRbac = true,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData("default-values.yaml")]
    [InlineData("namespaces-values.yaml")]
    public async Task Rendered_manifests_apply_and_the_operator_runs_under_their_rbac_without_a_403(string valuesFile)
    {
        var yaml = await Tool.TemplateAsync(Release, "-f", Path.Combine(Tool.ChartDir, "ci", valuesFile));
        // The release namespace and every watched namespace exist first, as helm install --create-namespace and
        // the namespaces' owners would see to.
        foreach (var ns in new[] { Release, "clinical", "billing" })
        {
            await KubectlAsync(null, "create", "namespace", ns);
        }
        await KubectlAsync(CertManagerCrds.Yaml, "apply", "-f", "-");
        var applied = await KubectlAsync(yaml, "apply", "-f", "-");
        var rendered = Rendered.Parse(yaml);
        Assert.Equal(rendered.Objects.Count, applied.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        await KubectlAsync(await File.ReadAllTextAsync(Path.Combine(Tool.RepoRoot, "config", "samples", "hipaa_v1alpha1_hipaamongo_minimal.yaml")),
            "apply", "-f", "-");

        var who = $"system:serviceaccount:{Release}:{ServiceAccount}";
        var (probePort, metricsPort) = (Tool.FreePort(), Tool.FreePort());
        await using (var op = OperatorProcess.Start(OperatorArgs(rendered, probePort, metricsPort), ServiceAccountKubeconfig(), Release))
        {
            await WaitReconciledAsync(op);
            await MetricsAreAuthorizedAsync(probePort, metricsPort);
        }

        var byOperator = server.AuditTrail.Records.Where(r => r.User == who).ToList();
        var refused = byOperator.Where(r => r.Code is 401 or 403).Select(r => $"{r.Verb} {r.Resource} in '{r.Namespace}'").Distinct();
        Assert.Empty(refused);
        Assert.Contains(byOperator, r => r is { Verb: "create", Resource: "networkpolicies", Code: 201 });
        // Secrets are read by name only: the chart grants no list or watch, and the operator asks for none.
        Assert.DoesNotContain(byOperator, r => r.Resource == "secrets" && r.Verb is "list" or "watch");
        Assert.Contains(byOperator, r => r is { Resource: "leases", Code: 200 or 201 });
    }

    // The rendered container's arguments, with the listeners on free loopback ports (tests run side by side) and the
    // SA's kubeconfig; the rendered scheme of each listener is kept.
    private string[] OperatorArgs(Rendered rendered, int probePort, int metricsPort)
    {
        // "--metrics-address=https://0.0.0.0:8443" -> "https://127.0.0.1:<port>".
        static string Rebind(string arg, int port) => $"{arg[(arg.IndexOf('=') + 1)..arg.IndexOf("://", StringComparison.Ordinal)]}://127.0.0.1:{port}";
        var probe = rendered.Args.Single(a => a.StartsWith("--probe-address=", StringComparison.Ordinal));
        var metrics = rendered.Args.Single(a => a.StartsWith("--metrics-address=", StringComparison.Ordinal));
        return
        [
            .. rendered.Args.Where(a => a != probe && a != metrics),
            "--probe-address", Rebind(probe, probePort), "--metrics-address", Rebind(metrics, metricsPort), "--kubeconfig", ServiceAccountKubeconfig(),
        ];
    }

    private async Task MetricsAreAuthorizedAsync(int probePort, int metricsPort)
    {
        var url = $"https://127.0.0.1:{metricsPort}/metrics";
        Assert.Equal("200", await CurlAsync($"http://127.0.0.1:{probePort}/healthz"));
        Assert.Equal("401", await CurlAsync(url));
        await KubectlAsync(null, "create", "namespace", "monitoring");
        await KubectlAsync(null, "create", "serviceaccount", "prometheus", "-n", "monitoring");
        var token = (await KubectlAsync(null, "create", "token", "prometheus", "-n", "monitoring")).Trim();
        Assert.Equal("401", await CurlAsync(url, "not-a-token"));
        Assert.Equal("403", await CurlAsync(url, token));
        await KubectlAsync(null, "create", "clusterrolebinding", "prometheus-metrics",
            "--clusterrole=hm-hipaa-mongo-operator-metrics-reader", "--serviceaccount=monitoring:prometheus");
        // A denial is cached for 30 s, as controller-runtime's delegating authorizer caches it: a second identity
        // bound from the start shows the grant without waiting the cache out.
        await KubectlAsync(null, "create", "serviceaccount", "scraper", "-n", "monitoring");
        await KubectlAsync(null, "create", "clusterrolebinding", "scraper-metrics",
            "--clusterrole=hm-hipaa-mongo-operator-metrics-reader", "--serviceaccount=monitoring:scraper");
        var scraper = (await KubectlAsync(null, "create", "token", "scraper", "-n", "monitoring")).Trim();
        Assert.Equal("200", await CurlAsync(url, scraper));
        var body = await Tool.RunAsync("curl", ["-k", "-s", "-H", "Authorization: Bearer " + scraper, url]);
        Assert.Contains("controller_runtime_reconcile_total", body.Stdout, StringComparison.Ordinal);
    }

    // The status code curl saw (-k: the serving certificate is self-signed).
    private static async Task<string> CurlAsync(string url, string? token = null)
    {
        string[] auth = token is null ? [] : ["-H", "Authorization: Bearer " + token];
        var r = await Tool.RunAsync("curl", ["-k", "-s", "-o", "/dev/null", "-w", "%{http_code}", .. auth, url]);
        return r.Stdout.Trim();
    }

    private string ServiceAccountKubeconfig()
    {
        var path = Path.Combine(dir, "operator.kubeconfig");
        if (!File.Exists(path))
        {
            var token = server.ServiceAccountToken(Release, ServiceAccount);
            File.WriteAllText(path, File.ReadAllText(AdminKubeconfig).Replace(AdminToken, token, StringComparison.Ordinal));
        }
        return path;
    }

    private async Task WaitReconciledAsync(OperatorProcess op)
    {
        using var admin = server.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(op.HasExited, "the operator exited: " + op.Output);
            var hm = JsonSerializer.SerializeToNode(await admin.CustomObjects.GetNamespacedCustomObjectAsync(
                "hipaa.mongooperator.io", "v1alpha1", "clinical", "hipaamongos", "phi-db"))!;
            if (hm["status"]?["observedGeneration"] is not null)
            {
                return;
            }
            await Task.Delay(250);
        }
        Assert.Fail("the operator did not reconcile clinical/phi-db in 90 s: " + op.Output);
    }

    private async Task<string> KubectlAsync(string? stdin, params string[] args)
    {
        var env = new Dictionary<string, string>
        {
            ["KUBECONFIG"] = AdminKubeconfig,
            ["KUBECACHEDIR"] = Path.Combine(dir, "cache"),
            ["HOME"] = dir,
        };
        var r = await Tool.RunAsync("kubectl", args, stdin, env);
        Assert.True(r.Code == 0, $"kubectl {string.Join(' ', args)} failed: {r.Stderr}");
        return r.Stdout;
    }
}
