using System.Diagnostics;
using HipaaMongo.Benchmarks.Scale;
using MongoDB.Driver;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>
/// One member of a set to drift (by ordinal among the set's pod IPs) and when (after the phase starts). The person
/// writes with the operator's identity (the only one granted setParameter) and reads with the verifier's (the only
/// one granted getParameter: the operator role has no read actions, docs/members.md).
/// </summary>
public sealed record DriftTarget(string Set, int Ordinal, IReadOnlyList<string> Ips, Identity Writer, Identity Reader, TimeSpan At);

/// <summary>
/// Runtime drift as a person makes it: at its moment, setParameter redactClientLogData:false on one member over the
/// wire, then getParameter every <see cref="MembersProfile.PollPeriod"/> until the member reports true again. The
/// latency runs from just before the setParameter to the first reply saying true, so it can overstate by one poll period.
/// </summary>
public static class DriftInjection
{
    public static async Task<DriftOutcome> RunAllAsync(IReadOnlyList<DriftTarget> targets, CancellationToken ct)
    {
        var phase = Stopwatch.GetTimestamp();
        var limit = targets.Select(t => t.At).DefaultIfEmpty().Max() + MembersProfile.Interval * MembersProfile.CorrectionLimitIntervals
            + TimeSpan.FromMinutes(1);
        var results = await Task.WhenAll(targets.Select(t => RunOneAsync(t, phase, ct))).WaitAsync(limit, ct);
        var sample = new Sample("drift -> member reports true");
        sample.AddRange(results.Where(r => r is not null).Select(r => r!.Value));
        return new DriftOutcome(sample, results.Count(r => r is null));
    }

    static async Task<double?> RunOneAsync(DriftTarget target, long phase, CancellationToken ct)
    {
        var wait = target.At - Stopwatch.GetElapsedTime(phase);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }

        using var writer = new MemberShell(target.Ips[target.Ordinal], target.Writer);
        using var reader = new MemberShell(target.Ips[target.Ordinal], target.Reader);
        if (!await reader.RedactAsync(ct))
        {
            throw new InvalidOperationException($"{target.Set}-{target.Ordinal} had redactClientLogData false before the injection");
        }

        var start = Stopwatch.GetTimestamp();
        if (!await writer.RedactOffAsync(ct))
        {
            throw new InvalidOperationException($"{target.Set}-{target.Ordinal} already had redactClientLogData false before the injection");
        }

        var limit = MembersProfile.Interval * MembersProfile.CorrectionLimitIntervals;
        while (Stopwatch.GetElapsedTime(start) < limit)
        {
            await Task.Delay(MembersProfile.PollPeriod, ct);
            if (await PollAsync(reader, ct))
            {
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        return null; // not corrected within the limit: counted, not timed
    }

    // A poll that fails (a timeout on a loaded machine) is not an answer either way: ask again next period.
    static async Task<bool> PollAsync(MemberShell shell, CancellationToken ct)
    {
        try
        {
            return await shell.RedactAsync(ct);
        }
        catch (Exception e) when (e is TimeoutException or MongoException)
        {
            return false;
        }
    }
}

/// <summary>The timed corrections and how many drifted members were not corrected within the limit.</summary>
public sealed record DriftOutcome(Sample Latency, int Missed);
