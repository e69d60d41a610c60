using System.Globalization;
using System.Text;
using HipaaMongo.Benchmarks.Scale;

namespace HipaaMongo.Benchmarks.Drift;

/// <summary>One design at one fleet size: its drift-to-correction latencies and, where measured, its requests at rest.</summary>
public sealed record DriftRow(int Fleet, Sample Latency, RestRate? Rest);

/// <summary>Prints the rows as a Markdown table, each p50 and p99 as a ratio to the echo floor at the same fleet size.</summary>
public static class DriftReport
{
    public static string Table(IReadOnlyList<DriftRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendLine("| HipaaMongos | design | n | p50 ms | p99 ms | p50 / floor | p99 / floor | requests/min per HipaaMongo at rest | busiest at rest (per HipaaMongo per min) | note |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var group in rows.GroupBy(r => r.Fleet))
        {
            var floor = group.Single(r => r.Latency.Name == DriftHarness.Echo).Latency;
            foreach (var row in group)
            {
                var s = row.Latency;
                var rest = row.Rest is { } r ? Invariant($"{r.PerResourcePerMinute:F2}") : "-";
                var busiest = row.Rest is { } b ? (b.Requests == 0 ? "none" : b.Breakdown) : "";
                var writes = row.Rest is { Writes: > 0 } w ? Invariant($"{w.Writes} writes at rest. ") : "";
                text.AppendLine(Invariant(
                    $"| {row.Fleet:N0} | {s.Name} | {s.Count} | {s.Percentile(50):F1} | {s.Percentile(99):F1} | {s.Percentile(50) / floor.Percentile(50):F1}x | {s.Percentile(99) / floor.Percentile(99):F1}x | {rest} | {busiest} | {writes}{s.Note} |"));
            }
        }

        return text.ToString();
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
