using HipaaMongo.Operator.Cli;

namespace HipaaMongo.Operator.Tests;

/// <summary>
/// `hipaa-mongo render -f` output per sample, compared byte for byte with Golden/*.yaml.
/// Refresh after an intended change with UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public class GoldenTests
{
    public static TheoryData<string> Samples() => new(TestPaths.Samples().Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Render_matches_the_golden_file(string sample)
    {
        var (code, stdout, stderr) = Run("render", "-f", Path.Combine(TestPaths.SamplesDir, sample));
        Assert.True(code == 0, stderr);
        var golden = Path.Combine(TestPaths.GoldenDir, sample);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, stdout);
        }

        Assert.True(File.Exists(golden), $"no golden file {golden}; run with UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(golden), stdout);
    }

    [Fact]
    public void The_samples_cover_minimal_enterprise_percona_and_phi_access_audit()
    {
        var names = TestPaths.Samples().Select(Path.GetFileName).ToList();
        Assert.Contains("hipaa_v1alpha1_hipaamongo_minimal.yaml", names);
        Assert.Contains(names, n => n!.Contains("percona", StringComparison.Ordinal));
        Assert.Contains(names, n => n!.Contains("phi_access", StringComparison.Ordinal));
    }

    internal static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
