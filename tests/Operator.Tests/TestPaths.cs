using System.Runtime.CompilerServices;

namespace HipaaMongo.Operator.Tests;

/// <summary>Source-tree locations, found from this file's path (build output lives elsewhere).</summary>
internal static class TestPaths
{
    public static string TestProjectDir { get; } = Here();

    public static string RepoRoot => RepoPaths.Root;

    public static string SamplesDir { get; } = Path.Combine(RepoRoot, "config", "samples");

    public static string GoldenDir { get; } = Path.Combine(TestProjectDir, "Golden");

    public static IEnumerable<string> Samples() =>
        Directory.GetFiles(SamplesDir, "*.yaml").Order(StringComparer.Ordinal);

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
