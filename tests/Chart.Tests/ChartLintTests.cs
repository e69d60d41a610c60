namespace HipaaMongo.Chart.Tests;

/// <summary>`helm lint --strict` (values.schema.json included) over every values file the chart ships for CI.</summary>
public sealed class ChartLintTests
{
    public static TheoryData<string> ValueFiles() =>
        [.. Directory.GetFiles(Path.Combine(Tool.ChartDir, "ci"), "*-values.yaml").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(ValueFiles))]
    public async Task Helm_lint_strict_passes(string valuesFile)
    {
        var r = await Tool.RunAsync(Tool.Helm, ["lint", "--strict", Tool.ChartDir, "-f", Path.Combine(Tool.ChartDir, "ci", valuesFile)]);
        Assert.True(r.Code == 0, r.Stdout + r.Stderr);
        Assert.Contains("0 chart(s) failed", r.Stdout);
    }

    [Fact]
    public void There_is_a_values_file_for_each_mode()
    {
        Assert.Superset(new HashSet<string>(["default-values.yaml", "namespaces-values.yaml", "monitoring-values.yaml",
            "external-crds-values.yaml", "nodelocal-dns-values.yaml", "openshift-dns-values.yaml"]), ValueFiles().Select(d => d.Data).ToHashSet());
    }

    [Theory]
    [InlineData("bogus=1", "additional properties 'bogus' not allowed")]
    [InlineData("watch.namespaces[0]=Bad_NS", "/watch/namespaces/0")]
    [InlineData("replicaCount=0", "/replicaCount")]
    [InlineData("dns.cidrs[0]=not-a-cidr", "/dns/cidrs/0")]
    [InlineData("image.digest=latest", "/image/digest")]
    public async Task The_schema_rejects_bad_values_naming_the_field(string set, string named)
    {
        var r = await Tool.RunAsync(Tool.Helm, ["template", "hm", Tool.ChartDir, "--set", set]);
        Assert.NotEqual(0, r.Code);
        Assert.Contains(named, r.Stderr);
    }
}
