using System.Globalization;
using HipaaMongo.LocalCluster.Hosting;

namespace HipaaMongo.Benchmarks.Drift;

/// <summary>Reads LocalCluster's audit trail for one controller's user: quiet periods and request rates at rest.</summary>
public sealed class AuditWindow(AuditTrail audit, string user)
{
    /// <summary>Forgets earlier records (the trail is unbounded and copied on every read).</summary>
    public void Reset() => audit.Clear();

    /// <summary>
    /// Waits until the user has written nothing for <paramref name="quiet"/>, counted from the later of its last
    /// write and the start of this wait (its follow-up passes are done).
    /// </summary>
    public Task UntilQuietAsync(TimeSpan quiet, TimeSpan limit, string what, CancellationToken ct)
    {
        var since = DateTimeOffset.UtcNow;
        return Waits.UntilAsync(() =>
        {
            var last = audit.Records.Where(r => r.User == user && AuditTrail.WriteVerbs.Contains(r.Verb))
                .Select(r => r.Time).Append(since).Max();
            return DateTimeOffset.UtcNow - last > quiet;
        }, limit, what, ct);
    }

    /// <summary>Counts the user's requests over an idle window, per HipaaMongo per minute, with the busiest verb/resource pairs.</summary>
    public async Task<RestRate> MeasureAsync(TimeSpan window, int fleet, CancellationToken ct)
    {
        audit.Clear();
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(window, ct);
        var to = DateTimeOffset.UtcNow;
        var records = audit.Records.Where(r => r.User == user && r.Time >= from && r.Time <= to).ToList();
        var minutes = (to - from).TotalMinutes * fleet;
        var top = records.GroupBy(r => $"{r.Verb} {r.Resource}")
            .OrderByDescending(g => g.Count())
            .Take(3)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count() / minutes:F1}"));
        return new RestRate(records.Count, records.Count / minutes,
            records.Count(r => AuditTrail.WriteVerbs.Contains(r.Verb)), string.Join(", ", top));
    }
}

/// <summary>Requests one controller made over an idle window: total, per HipaaMongo per minute, writes, and a breakdown.</summary>
public sealed record RestRate(int Requests, double PerResourcePerMinute, int Writes, string Breakdown);
