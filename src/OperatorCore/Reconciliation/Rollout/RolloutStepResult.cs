namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>What the rollout step found and did: the planner's action (null when the set was not read), where the
/// rollout stands, or why it could not act.</summary>
public sealed record RolloutStepResult(RolloutAction? Action, RolloutProgress? Progress, string? Failure)
{
    public static readonly RolloutStepResult Idle = new(null, null, null);

    /// <summary>The featureCompatibilityVersion read (or set) in this pass; null when it was not read.</summary>
    public string? FeatureCompatibilityVersion { get; init; }

    /// <summary>A rollout is under way: a step was taken or is waiting, or one failed; the next pass continues it.</summary>
    public bool InProgress => Failure is not null || Action is RolloutAction.DeletePod or RolloutAction.StepDown or RolloutAction.Wait;

    /// <summary>A restarted member did not become healthy in time: Stalled until the spec (or the member) changes.</summary>
    public bool Halted => Failure is null && Action is RolloutAction.Halt;

    public string? Message => Action is null && Failure is null ? null
        : (Failure ?? Action!.Reason) + (Progress is null ? "" : $" [{Progress}]");
}
