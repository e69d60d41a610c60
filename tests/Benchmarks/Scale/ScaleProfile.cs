namespace HipaaMongo.Benchmarks.Scale;

/// <summary>How big a scale run is. Quick is a smoke run (under a minute); Full is the target.</summary>
public sealed record ScaleProfile(string Name, int Objects, int Namespaces, int Watches, int FanOutRounds, int ListAllRepeats)
{
    /// <summary>The figure: 20,000 objects and 1,000 open watches on one instance.</summary>
    public static ScaleProfile Full { get; } = new("full", 20_000, 20, 1_000, 30, 5);

    /// <summary>A tenth of Full, for a smoke run.</summary>
    public static ScaleProfile Quick { get; } = new("quick", 2_000, 10, 100, 20, 10);

    /// <summary>Objects per namespace (the last namespace takes any remainder).</summary>
    public int PerNamespace => Objects / Namespaces;
}
