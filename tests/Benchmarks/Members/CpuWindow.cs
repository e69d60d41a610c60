using System.Diagnostics;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>The operator's CPU seconds and finished set verifications over one wall-clock window.</summary>
public sealed record CpuSample(double CpuSeconds, double WallSeconds, long Verifications);

public static class CpuWindow
{
    public static async Task<CpuSample> MeasureAsync(OperatorProcess op, TimeSpan window, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(op);
        var verifications = op.Verifications;
        var cpu = op.CpuSeconds();
        var wall = Stopwatch.StartNew();
        await Task.Delay(window, ct);
        return new CpuSample(op.CpuSeconds() - cpu, wall.Elapsed.TotalSeconds, op.Verifications - verifications);
    }
}
