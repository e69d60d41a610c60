using System.Globalization;
using System.Text;

namespace HipaaMongo.Benchmarks.Scale;

/// <summary>Prints samples as a Markdown table with each p50 as a ratio to the floor's p50.</summary>
public static class Report
{
    public static string Table(Sample floor, IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(floor);
        var floorP50 = floor.Percentile(50);
        var text = new StringBuilder();
        text.AppendLine("| measurement | n | p50 ms | p99 ms | p50 / floor | note |");
        text.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var s in samples.Prepend(floor))
        {
            var ratio = s.Percentile(50) / floorP50;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Name} | {s.Count} | {s.Percentile(50):F2} | {s.Percentile(99):F2} | {ratio:F1}x | {s.Note} |");
        }

        return text.ToString();
    }
}
