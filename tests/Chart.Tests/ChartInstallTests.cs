using System.Text.Json;
using System.Text.Json.Nodes;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.LocalCluster.Hosting;
using k8s;

namespace HipaaMongo.Chart.Tests;

/// <summary>
/// `helm template ... | kubectl apply -f -` on LocalCluster with RBAC on, then the operator run with the rendered
/// Deployment's own arguments under the chart's ServiceAccount: it starts, takes the Lease and reconciles a
/// HipaaMongo without a single 403, so the chart's RBAC is enough for what the operator does.
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
        await using (var op = OperatorProcess.Start(OperatorArgs(rendered), ServiceAccountKubeconfig(), Release))
        {
            await WaitReconciledAsync(op);
        }

        var byOperator = server.AuditTrail.Records.Where(r => r.User == who).ToList();
        var refused = byOperator.Where(r => r.Code is 401 or 403).Select(r => $"{r.Verb} {r.Resource} in '{r.Namespace}'").Distinct();
        Assert.Empty(refused);
        Assert.Contains(byOperator, r => r is { Verb: "create", Resource: "networkpolicies", Code: 201 });
        Assert.Contains(byOperator, r => r is { Resource: "leases", Code: 200 or 201 });
    }

    // The rendered container's arguments, with the listeners off (tests run side by side) and the SA's kubeconfig.
    private string[] OperatorArgs(Rendered rendered) =>
    [
        .. rendered.Args.Where(a => !a.StartsWith("--probe-address", StringComparison.Ordinal) && !a.StartsWith("--metrics-address", StringComparison.Ordinal)),
        "--probe-address", "", "--metrics-address", "", "--kubeconfig", ServiceAccountKubeconfig(),
    ];

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
