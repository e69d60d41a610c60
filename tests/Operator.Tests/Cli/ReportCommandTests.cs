using System.Net;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reporting;

namespace HipaaMongo.Operator.Tests.Cli;

/// <summary>`hipaa-mongo report` run in-process against a seeded LocalCluster.</summary>
public sealed class ReportCommandTests(ReportCluster cluster) : IClassFixture<ReportCluster>
{
    private static readonly ComplianceReport Compliance = ReportCluster.Record.Compliance;

    [Fact]
    public async Task Json_report_holds_every_control_the_failing_ids_the_corrections_and_the_events()
    {
        var (code, stdout, stderr) = await RunAsync("report", ReportCluster.Name, "-n", ReportCluster.Namespace, "--format", "json", "--kubeconfig", cluster.Kubeconfig);
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!;

        Assert.Equal(ReportCluster.Namespace, json["resource"]!["namespace"]!.GetValue<string>());
        var results = json["controls"]!.AsArray().ToDictionary(c => c!["id"]!.GetValue<string>(), c => c!["result"]!.GetValue<string>());
        Assert.Equal(ControlCatalogue.All.Select(c => c.Id).Order(), results.Keys.Order());
        Assert.All(Compliance.Controls, c => Assert.Equal(c.Outcome.ToString(), results[c.Control.Id]));
        Assert.Contains("MDB-SC-NETWORK", json["summary"]!["failing"]!.AsArray().Select(x => x!.GetValue<string>()));
        var correction = Assert.Single(json["corrections"]!.AsArray())!;
        Assert.Equal(ReportCluster.Record.Corrections[0].Detail, correction["detail"]!.GetValue<string>());
        var e = Assert.Single(json["events"]!.AsArray())!; // the Event of another uid is left out
        Assert.Equal(ReportCluster.Event.Reason, e["reason"]!.GetValue<string>());
        Assert.Equal(ReportText.Time(ReportCluster.Event.At), e["at"]!.GetValue<string>());
        var version = GoldenTests.Run("version").Stdout.Split('\n')[0]["hipaa-mongo ".Length..];
        Assert.Equal(version, json["operatorVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Markdown_is_the_default_and_shows_the_matrix_the_failures_the_corrections_and_the_events()
    {
        var (code, stdout, stderr) = await RunAsync("report", ReportCluster.Name, "-n", ReportCluster.Namespace, "--kubeconfig", cluster.Kubeconfig);
        Assert.True(code == 0, stderr);

        Assert.StartsWith($"# Evidence report: {ReportCluster.Namespace}/{ReportCluster.Name}", stdout, StringComparison.Ordinal);
        Assert.All(Compliance.Controls, c => Assert.Contains($" | {c.Outcome} | ", Row(stdout, c.Control.Id), StringComparison.Ordinal));
        Assert.Contains("- Failing controls: " + string.Join(", ", Compliance.Summary.Failing), stdout, StringComparison.Ordinal);
        Assert.Contains("**correction**", stdout, StringComparison.Ordinal);
        Assert.Contains("**event** Warning ControlFailed", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(ReportCluster.OtherEventReason, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Html_report_is_written_to_the_output_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hm-report-{Guid.NewGuid():N}.html");
        try
        {
            var (code, stdout, stderr) = await RunAsync("report", ReportCluster.Name, "--namespace", ReportCluster.Namespace, "--format", "html",
                "-o", path, "--kubeconfig", cluster.Kubeconfig);
            Assert.True(code == 0, stderr);
            Assert.Equal("", stdout);
            var html = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
            Assert.All(Compliance.Controls, c => Assert.Contains(
                $"<tr data-control=\"{WebUtility.HtmlEncode(c.Control.Id)}\" data-result=\"{c.Outcome}\">", html, StringComparison.Ordinal));
            Assert.Contains("<span id=\"compliant\">Not compliant</span>", html, StringComparison.Ordinal);
            Assert.Contains("<li class=\"correction\">", html, StringComparison.Ordinal);
            Assert.Contains("<li class=\"event\">", html, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_resource_exits_1_naming_it()
    {
        var (code, stdout, stderr) = await RunAsync("report", "nope", "-n", ReportCluster.Namespace, "--kubeconfig", cluster.Kubeconfig);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"error: hipaamongo {ReportCluster.Namespace}/nope not found\n", stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_resource_without_evidence_exits_1_saying_none_is_recorded_yet()
    {
        var (code, stdout, stderr) = await RunAsync("report", ReportCluster.Unevaluated, "-n", ReportCluster.Namespace, "--kubeconfig", cluster.Kubeconfig);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains($"no compliance evaluation recorded yet for {ReportCluster.Namespace}/{ReportCluster.Unevaluated}; the operator writes one after its first verification", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Damaged_evidence_exits_1_with_one_line()
    {
        var (code, _, stderr) = await RunAsync("report", ReportCluster.Damaged, "-n", ReportCluster.Namespace, "--kubeconfig", cluster.Kubeconfig);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: the evidence in ConfigMap {ReportCluster.Namespace}/{EvidenceRecord.ConfigMapName(ReportCluster.Damaged)} cannot be read", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--format", "pdf", "unknown report format 'pdf'")]
    [InlineData("-o", "/nonexistent-dir/r.md", "cannot write '/nonexistent-dir/r.md': no such directory")]
    [InlineData("--context", "no-such-context", "error: kubeconfig:")]
    public async Task Unusable_input_exits_2_with_a_clear_error(string option, string value, string says)
    {
        var (code, stdout, stderr) = await RunAsync("report", ReportCluster.Name, "-n", ReportCluster.Namespace, "--kubeconfig", cluster.Kubeconfig, option, value);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(says, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_is_not_a_kubernetes_name_exits_2()
    {
        var (code, _, stderr) = await RunAsync("report", "phi-db,involvedObject.kind=Pod", "-n", ReportCluster.Namespace, "--kubeconfig", cluster.Kubeconfig);
        Assert.Equal(2, code);
        Assert.Contains("is not a valid namespace/name", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_exits_3_without_printing_the_token()
    {
        const string token = "s3cr3t-token-never-printed";
        var path = WriteKubeconfig($$$"""
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
            users: [{name: u, user: {token: {{{token}}}}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """);
        var (code, stdout, stderr) = await RunAsync("report", ReportCluster.Name, "-n", ReportCluster.Namespace, "--kubeconfig", path);
        Assert.Equal(3, code);
        Assert.StartsWith($"error: cannot read hipaamongo {ReportCluster.Namespace}/{ReportCluster.Name}: the API server is unreachable", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token, stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forbidden_read_exits_3_with_one_line_and_no_token()
    {
        var ct = TestContext.Current.CancellationToken;
        const string adminToken = "admin-token-for-report-rbac-test";
        await using var rbac = await LocalClusterServer.StartAsync(new LocalClusterOptions { EnableRbac = true, Token = adminToken }, ct);
        using (var admin = rbac.CreateClient())
        {
            await ReportCluster.InstallCrdAsync(admin, ct);
        }

        var saToken = rbac.ServiceAccountToken("clinical", "auditor"); // bound to no role
        var path = WriteKubeconfig(ReportCluster.WithToken(rbac.KubeconfigYaml, adminToken, saToken));

        var (code, stdout, stderr) = await RunAsync("report", ReportCluster.Name, "-n", ReportCluster.Namespace, "--kubeconfig", path);
        Assert.Equal(3, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"error: cannot read hipaamongo {ReportCluster.Namespace}/{ReportCluster.Name}: forbidden (HTTP 403)", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain(saToken, stderr, StringComparison.Ordinal);
    }

    private static string Row(string markdown, string id) =>
        markdown.Split('\n').Single(l => l.StartsWith($"| {id} |", StringComparison.Ordinal));

    private static string WriteKubeconfig(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hm-report-{Guid.NewGuid():N}.kubeconfig");
        File.WriteAllText(path, text);
        return path;
    }

    // The command blocks on its async action; bounded so a hang fails rather than stalls the run.
    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        Task.Run(() => GoldenTests.Run(args), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(45), TestContext.Current.CancellationToken);
}
