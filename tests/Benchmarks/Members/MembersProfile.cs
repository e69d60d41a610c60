namespace HipaaMongo.Benchmarks.Members;

/// <summary>
/// How big a `members` run is. The interval is the CRD's minimum (spec.verification.intervalSeconds >= 10), so a
/// run takes minutes, not hours; the windows are whole numbers of intervals so they hold whole verification rounds.
/// </summary>
public sealed record MembersProfile(string Name, int Sets, TimeSpan SettleLimit, TimeSpan RunLimit)
{
    /// <summary>The figure: 100 replica sets, 300 members, one operator.</summary>
    public static MembersProfile Full { get; } = new("full", 100, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20));

    /// <summary>Fewer sets, so set-up settles and the whole run (hard limit 7.5 min, plus the build) stays within 8 minutes on 2 shared cores.</summary>
    public static MembersProfile Quick { get; } = new("quick", 30, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(7.5));

    /// <summary>The CRD's minimum verification interval (VerificationSpec.MinIntervalSeconds).</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(Entities.VerificationSpec.MinIntervalSeconds);

    /// <summary>Members per set: the sample's default.</summary>
    public const int MembersPerSet = 3;

    /// <summary>HipaaMongos per namespace.</summary>
    public const int PerNamespace = 10;

    /// <summary>Intervals left after settling before CPU is read (creation-time status, Events and evidence writes end).</summary>
    public const int WarmIntervals = 2;

    /// <summary>Intervals over which the operator's CPU is read (steady state, and again with nothing due).</summary>
    public const int CpuIntervals = 3;

    /// <summary>Injections fall at uniform random moments over this many intervals, so they meet every phase of every set's schedule.</summary>
    public const int DriftSpreadIntervals = 3;

    /// <summary>Rounds of the bare floor (one getParameter per member, back to back).</summary>
    public const int FloorRounds = 10;

    /// <summary>How often a drifted member is asked for its parameter: the latency's resolution.</summary>
    public static TimeSpan PollPeriod { get; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A drifted member not corrected within this many intervals is counted as missed, not timed.</summary>
    public const int CorrectionLimitIntervals = 6;
}
