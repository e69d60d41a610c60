namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>`hipaa-mongo run` refuses unusable options at start with one clear line, before touching a cluster.</summary>
public sealed class RunCommandTests
{
    // Never contacted: option validation fails first.
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: not-used}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """;

    [Fact(Timeout = 30_000)]
    public async Task Missing_kubeconfig_file_exits_2_naming_the_option()
    {
        var (code, _, stderr) = await RunAsync(TestContext.Current.CancellationToken, "run", "--kubeconfig", "/nonexistent/kubeconfig");
        Assert.Equal(2, code);
        Assert.Contains("--kubeconfig", stderr);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("--probe-address", "not a url", "ProbeAddress")]
    [InlineData("--metrics-address", "ftp://0.0.0.0:8080", "MetricsAddress")]
    [InlineData("--metrics-address", "http://0.0.0.0:8080", "must be an https URL")]
    [InlineData("--namespace", "Bad_NS", "Bad_NS")]
    [InlineData("--kmip-address", "kmip.example.org:5696", "expected NAME=IP:PORT")]
    [InlineData("--kmip-address", "kmip.example.org=kmip-host:5696", "expected NAME=IP:PORT")]
    [InlineData("--ldap-address", "ldap.example.org:636", "--ldap-address ldap.example.org:636: expected NAME=IP:PORT")]
    public async Task Invalid_option_exits_2_with_a_clear_error(string option, string value, string named)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hm-run-{Guid.NewGuid():N}.kubeconfig");
        File.WriteAllText(path, Kubeconfig);
        try
        {
            var ct = TestContext.Current.CancellationToken;
            var (code, stdout, stderr) = await RunAsync(ct, "run", "--kubeconfig", path, "--leader-election-namespace", "ops", option, value);
            Assert.Equal(2, code);
            Assert.Contains(named, stderr);
            Assert.StartsWith("error: ", stderr);
            Assert.DoesNotContain("   at ", stderr + stdout);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Bounded: an option that slipped through validation would start the host and never return.
    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(CancellationToken ct, params string[] args) =>
        Task.Run(() => GoldenTests.Run(args), ct).WaitAsync(TimeSpan.FromSeconds(20), ct);
}
