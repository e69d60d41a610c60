using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>Settings of the HipaaMongo reconciler that come from the operator's environment.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>Finalizer that holds a HipaaMongo until its deletion policy has been carried out.</summary>
    public const string Finalizer = "hipaa.mongooperator.io/finalizer";

    /// <summary>Event source component (also the field manager).</summary>
    public const string EventSource = "hipaa-mongo-operator";

    public RenderOptions Render { get; init; } = RenderOptions.Default;

    /// <summary>After a verification that corrected something or rotated certificates, verify again this soon to prove it held.</summary>
    public TimeSpan ProveCorrectionDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retry delay while certificates are not issued or the replica set cannot be bootstrapped yet.</summary>
    public TimeSpan WaitRetry { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How far behind the primary's optime a new member may be when it is promoted to voting (rollouts.md).</summary>
    public long LagBoundSeconds { get; init; } = 10;

    /// <summary>
    /// How long a member restarted by a rollout may take to be SECONDARY and within the lag bound before the rollout
    /// halts (rollouts.md). Generous: a restart includes WiredTiger recovery and catching up on the oplog.
    /// </summary>
    public TimeSpan RolloutHealthBound { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How far a primary's clock may run ahead of the API server's and the kubelet's: a restarted member counts as
    /// heard from only by a heartbeat later than its process start plus this (rollouts.md).
    /// </summary>
    public TimeSpan RolloutClockSkew { get; init; } = TimeSpan.FromSeconds(2);
}
