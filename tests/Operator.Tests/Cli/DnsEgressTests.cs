using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Tests.Cli;

/// <summary>
/// The DNS egress target of the rendered "-egress-dns" NetworkPolicy follows --dns-*: kube-dns by default (the
/// golden files), NodeLocal DNSCache's address, or OpenShift's DNS pods on 5353; bad values are one clear line.
/// </summary>
public sealed class DnsEgressTests
{
    private static readonly string Minimal = Path.Combine(TestPaths.SamplesDir, "hipaa_v1alpha1_hipaamongo_minimal.yaml");

    private static JsonNode DnsRule(params string[] extra)
    {
        var (code, stdout, stderr) = GoldenTests.Run(["render", "-f", Minimal, .. extra]);
        Assert.True(code == 0, stderr);
        var policy = YamlJson.Documents(stdout).OfType<JsonObject>()
            .Single(o => (string?)o["kind"] == "NetworkPolicy" && ((string)o["metadata"]!["name"]!).EndsWith("-egress-dns", StringComparison.Ordinal));
        return Assert.Single(policy["spec"]!["egress"]!.AsArray())!;
    }

    private static string[] Ports(JsonNode rule) =>
        [.. rule["ports"]!.AsArray().Select(p => $"{p!["protocol"]}/{p["port"]}")];

    [Fact]
    public void By_default_dns_goes_to_kube_dns_in_kube_system_on_53()
    {
        var peer = Assert.Single(DnsRule()["to"]!.AsArray())!;
        Assert.Equal("kube-system", (string?)peer["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]);
        Assert.Equal("kube-dns", (string?)peer["podSelector"]!["matchLabels"]!["k8s-app"]);
        Assert.Equal(["UDP/53", "TCP/53"], Ports(DnsRule()));
    }

    [Fact]
    public void Node_local_dns_cache_is_an_ip_block_beside_the_kube_dns_pods_it_falls_back_to()
    {
        var rule = DnsRule("--dns-cidr", "169.254.20.10/32");
        var peers = rule["to"]!.AsArray();
        Assert.Equal(2, peers.Count);
        Assert.Equal("kube-dns", (string?)peers[0]!["podSelector"]!["matchLabels"]!["k8s-app"]);
        Assert.Equal("kube-system", (string?)peers[0]!["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]);
        Assert.Equal("169.254.20.10/32", (string?)peers[1]!["ipBlock"]!["cidr"]);
        Assert.Null(peers[1]!["podSelector"]);
        Assert.Equal(["UDP/53", "TCP/53"], Ports(rule));
    }

    [Fact]
    public void OpenShift_dns_pods_are_selected_by_their_operator_label_on_5353()
    {
        var rule = DnsRule("--dns-namespace", "openshift-dns", "--dns-pod-selector", "dns.operator.openshift.io/daemonset-dns=default", "--dns-port", "5353");
        var peer = Assert.Single(rule["to"]!.AsArray())!;
        Assert.Equal("openshift-dns", (string?)peer["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]);
        var labels = peer["podSelector"]!["matchLabels"]!.AsObject();
        Assert.Equal("default", (string?)Assert.Single(labels).Value);
        Assert.Equal(["UDP/5353", "TCP/5353"], Ports(rule));
    }

    [Theory]
    [InlineData("--dns-cidr", "169.254.20.10", "--dns-cidr")]
    [InlineData("--dns-namespace", "Open_Shift", "--dns-namespace")]
    [InlineData("--dns-pod-selector", "k8s-app", "--dns-pod-selector")]
    [InlineData("--dns-pod-selector", "a=b,a=c", "--dns-pod-selector")]
    [InlineData("--dns-port", "70000", "--dns-port")]
    public void A_bad_dns_option_is_one_line_and_exit_2_for_render_and_run(string option, string value, string named)
    {
        foreach (var command in new[] { new[] { "render", "-f", Minimal }, ["run", "--kubeconfig", "/nonexistent"] })
        {
            var (code, stdout, stderr) = GoldenTests.Run([.. command, option, value]);
            Assert.Equal(2, code);
            Assert.StartsWith("error: " + named, stderr);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Empty(stdout);
        }
    }
}
