using System.Globalization;
using System.Text;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>The two Markdown tables of a `members` run: latency as a ratio of the interval, CPU as a ratio to the bare floor.</summary>
public static class MembersReport
{
    public static string Latency(DriftOutcome drift, int events, int injected)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var s = drift.Latency;
        var interval = MembersProfile.Interval.TotalMilliseconds;
        var missed = drift.Missed == 0 ? "" : Invariant($"{drift.Missed} not corrected within {MembersProfile.CorrectionLimitIntervals} intervals. ");
        var text = new StringBuilder();
        text.AppendLine("| measurement | n | p50 ms | p99 ms | p50 / interval | p99 / interval | note |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        var (p50, p50Ratio) = Cell(s, drift.Missed, 50);
        var (p99, p99Ratio) = Cell(s, drift.Missed, 99);
        text.AppendLine(Invariant(
            $"| redactClientLogData:false -> member reports true | {s.Count} | {p50} | {p99} | {p50Ratio} | {p99Ratio} | {missed}{events} RuntimeSettingReverted Events for {injected} injections; polled every {MembersProfile.PollPeriod.TotalMilliseconds:F0} ms |"));
        return text.ToString();
    }

    public static string Cpu(int sets, CpuSample steady, CpuSample? idle, FloorResult floor)
    {
        ArgumentNullException.ThrowIfNull(steady);
        ArgumentNullException.ThrowIfNull(floor);
        var members = sets * MembersProfile.MembersPerSet;
        var interval = MembersProfile.Interval.TotalSeconds;
        var floorRound = floor.CpuSeconds / floor.Rounds;
        var steadyRounds = (double)steady.Verifications / sets;
        var steadyRound = steady.CpuSeconds / steadyRounds;
        var text = new StringBuilder();
        text.AppendLine("| process | rounds per set in window | CPU s per round | CPU ms per member per round | / floor | share of one core | note |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        text.AppendLine(Row("bare getParameter per member (floor, own process)", floor.Rounds, floorRound, members, floorRound, floor.CpuSeconds / floor.WallSeconds,
            Invariant($"{floor.Rounds} rounds back to back in {floor.WallSeconds:F1} s; the same {members} clients idle used {floor.IdleCpuSeconds:F2} CPU s in {floor.IdleWallSeconds:F0} s")));
        text.AppendLine(Row("operator, every set verified each interval", steadyRounds, steadyRound, members, floorRound, steady.CpuSeconds / steady.WallSeconds,
            Invariant($"{steady.Verifications} set verifications in {steady.WallSeconds:F0} s ({steady.WallSeconds / interval:F1} intervals)")));
        if (idle is null)
        {
            text.AppendLine("| operator, nothing due (intervalSeconds 3600) | - | - | - | - | - | not measured: the sets did not all observe the new interval in time |");
            return text.ToString();
        }

        var idleInterval = idle.CpuSeconds / (idle.WallSeconds / interval);
        text.AppendLine(Row("operator, nothing due (intervalSeconds 3600)", idle.Verifications / (double)sets, idleInterval, members, floorRound,
            idle.CpuSeconds / idle.WallSeconds, Invariant($"per {interval:F0} s instead of per round; {idle.Verifications} verifications in {idle.WallSeconds:F0} s")));
        // What verifying adds to being alive: the two operator rows' CPU rates subtracted, spread over the steady rounds.
        var attributable = (steady.CpuSeconds / steady.WallSeconds - idle.CpuSeconds / idle.WallSeconds) * steady.WallSeconds / steadyRounds;
        text.AppendLine(Row("operator, verification alone (steady minus nothing due)", steadyRounds, attributable, members, floorRound,
            steady.CpuSeconds / steady.WallSeconds - idle.CpuSeconds / idle.WallSeconds, "difference of two noisy rates: read with the rows above"));
        return text.ToString();
    }

    // Missed corrections lasted longer than the limit: when the percentile's rank falls among them, it is "> limit".
    static (string Ms, string Ratio) Cell(Scale.Sample s, int missed, double p)
    {
        var interval = MembersProfile.Interval.TotalMilliseconds;
        var rank = Math.Ceiling(p / 100 * (s.Count + missed)); // nearest rank over every injection, missed ones last
        if (rank > s.Count)
        {
            var limit = interval * MembersProfile.CorrectionLimitIntervals;
            return (Invariant($"> {limit:F0}"), Invariant($"> {MembersProfile.CorrectionLimitIntervals:F2}"));
        }

        var value = s.Percentile(100 * rank / s.Count);
        return (Invariant($"{value:F0}"), Invariant($"{value / interval:F2}"));
    }

    static string Row(string name, double rounds, double perRound, int members, double floorRound, double share, string note) =>
        Invariant($"| {name} | {rounds:F2} | {perRound:F3} | {perRound * 1000 / members:F3} | {perRound / floorRound:F1}x | {share:P0} | {note} |");

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
