namespace HipaaMongo.Operator.Tests.Cli;

public class CliTests
{
    private static readonly string Minimal = Path.Combine(TestPaths.SamplesDir, "hipaa_v1alpha1_hipaamongo_minimal.yaml");

    [Fact]
    public void Render_prints_a_stream_of_every_baseline_kind()
    {
        var (code, stdout, _) = GoldenTests.Run("render", "-f", Minimal);
        Assert.Equal(0, code);
        var kinds = YamlJson.Documents(stdout).Select(d => d!["kind"]!.GetValue<string>()).ToHashSet();
        string[] expected = ["ServiceAccount", "ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget", "NetworkPolicy", "Issuer", "Certificate"];
        Assert.All(expected, k => Assert.Contains(k, kinds));
        Assert.StartsWith("---\n", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("members: 3", "members: 4", "spec.members")]
    [InlineData("version: 8.0.4", "version: 6.0.4", "spec.version")]
    [InlineData("edition: Enterprise", "edition: Community", "spec.edition")]
    [InlineData("    kmip:", "    kmip:\n      keyStatePollingSeconds: 5", "spec.encryption.kmip.keyStatePollingSeconds")]
    [InlineData("  storage:", "  tls:\n    mode: preferTLS\n  storage:", "spec.tls.mode")]
    public void A_weakened_or_invalid_spec_exits_1_naming_the_field(string find, string replace, string fieldPath)
    {
        var text = File.ReadAllText(Minimal);
        if (!text.Contains(find, StringComparison.Ordinal))
        {
            text = text.Replace("  edition: Enterprise", "  edition: Enterprise\n  " + find, StringComparison.Ordinal);
        }

        var path = TempFile(text.Replace(find, replace, StringComparison.Ordinal));
        var (code, stdout, stderr) = GoldenTests.Run("render", "-f", path);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains(fieldPath, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_exits_2_with_a_plain_message()
    {
        var (code, _, stderr) = GoldenTests.Run("render", "-f", "/nonexistent/hm.yaml");
        Assert.Equal(2, code);
        Assert.Contains("no such", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spec: [unclosed")]
    [InlineData("a: b\n---\nc: d\n")]
    [InlineData("\t- : :")]
    public void Malformed_yaml_exits_2_without_a_stack_trace(string text)
    {
        var (code, stdout, stderr) = GoldenTests.Run("render", "-f", TempFile(text));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_without_a_file_option_is_a_usage_error()
    {
        var (code, _, stderr) = GoldenTests.Run("render");
        Assert.NotEqual(0, code);
        Assert.Contains("--file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_domain_and_operator_namespace_options_reach_the_render()
    {
        var (code, stdout, _) = GoldenTests.Run("render", "-f", Minimal, "--cluster-domain", "corp.internal", "--operator-namespace", "ops");
        Assert.Equal(0, code);
        Assert.Contains("phi-db-0.phi-db-hs.clinical.svc.corp.internal", stdout, StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/metadata.name: ops\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Crds_prints_the_generated_definitions()
    {
        var (code, stdout, _) = GoldenTests.Run("crds");
        Assert.Equal(0, code);
        var crds = YamlJson.Documents(stdout).Where(d => d is not null).ToList();
        Assert.All(crds, crd => Assert.Equal("CustomResourceDefinition", crd!["kind"]!.GetValue<string>()));
        Assert.Equal(["hipaamongos.hipaa.mongooperator.io", "hipaamongousers.hipaa.mongooperator.io"],
            crds.Select(crd => crd!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Version_names_the_api()
    {
        var (code, stdout, _) = GoldenTests.Run("version");
        Assert.Equal(0, code);
        Assert.Contains("hipaa.mongooperator.io/v1alpha1", stdout, StringComparison.Ordinal);
    }

    private static string TempFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hm-cli-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
