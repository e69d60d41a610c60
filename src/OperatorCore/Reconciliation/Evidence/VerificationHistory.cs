namespace HipaaMongo.Operator.Reconciliation.Evidence;

/// <summary>
/// What the last verification of one resource was run against, whether it must be proven again soon, and how long it
/// took (VerifiedAt is its start).
/// </summary>
public sealed record VerificationHistory(DateTimeOffset VerifiedAt, long? Generation, string PodSignature, bool ProveAgain)
{
    public TimeSpan Duration { get; init; }
}
