using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HipaaMongo.Benchmarks.Micro;

/// <summary>BenchmarkDotNet configuration shared by every micro-benchmark.</summary>
public static class MicroConfig
{
    /// <summary>
    /// In-process: the repo builds into an artifacts tree ($HM_ARTIFACTS) that BenchmarkDotNet's
    /// generate-a-project toolchain cannot locate, and in-process also spares the 2-core machine a rebuild.
    /// Ratios against the Baseline are the number to read, never the absolute times.
    /// </summary>
    /// <param name="quick">BenchmarkDotNet's ShortRun (3 warm-ups, 3 iterations): a smoke run, ratios only roughly right.</param>
    public static IConfig Create(bool quick) =>
        DefaultConfig.Instance
            .AddJob((quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(BaselineRatioColumn.RatioMean)
            .WithOptions(ConfigOptions.JoinSummary);
}
