namespace HipaaMongo.Benchmarks.Drift;

/// <summary>
/// How big a drift run is. Rounds are per design and fleet size; the periodic design gets fewer because each
/// of its rounds waits up to a whole resync period. The idle window is where requests at rest are counted: it is one
/// verification interval (the sample's default, 60 s), because the operator's passes at rest are that far apart and
/// all start in phase after creation; a shorter window could miss every one of them.
/// </summary>
public sealed record DriftProfile(string Name, IReadOnlyList<int> Fleets, int Rounds, int PeriodicRounds, TimeSpan IdleWindow)
{
    /// <summary>The figure: 1, 100 and 1,000 HipaaMongos.</summary>
    public static DriftProfile Full { get; } = new("full", [1, 100, 1_000], 20, 12, TimeSpan.FromSeconds(60));

    /// <summary>1 and 100 HipaaMongos, fewer rounds: the default of `make bench`.</summary>
    public static DriftProfile Quick { get; } = new("quick", [1, 100], 12, 8, TimeSpan.FromSeconds(60));

    /// <summary>The periodic (peer) design's resync period: Percona's operator requeues every 5 s.</summary>
    public static TimeSpan ResyncPeriod { get; } = TimeSpan.FromSeconds(5);

    /// <summary>HipaaMongos per namespace: a fleet is spread over namespaces as tenants would be.</summary>
    public const int PerNamespace = 100;
}
