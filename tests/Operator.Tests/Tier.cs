namespace HipaaMongo.Operator.Tests;

/// <summary>
/// The test tiers, as xunit traits, so each can be run alone. A class with no Tier trait is a unit test (values in,
/// values out, milliseconds). With the built test executable (xunit v3):
/// `artifacts/bin/Operator.Tests/release/Operator.Tests -trait Tier=LocalCluster` runs one tier, and
/// `-trait- Tier=LocalCluster -trait- Tier=Chaos -trait- Tier=Members` runs the unit tier (docs/reconciler.md).
/// </summary>
internal static class Tier
{
    public const string Name = "Tier";

    /// <summary>The operator hosted against an in-process LocalCluster (seconds per test).</summary>
    public const string LocalCluster = "LocalCluster";

    /// <summary>LocalCluster with injected faults: 409s, 410s, dropped watches, compaction.</summary>
    public const string Chaos = "Chaos";

    /// <summary>The members edge against mongod simulators over TLS (no Kubernetes).</summary>
    public const string Members = "Members";
}
