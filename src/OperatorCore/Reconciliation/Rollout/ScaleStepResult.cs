namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>What the scale step found and did: the planner's action (null when the set was not read) or why it could not act.</summary>
public sealed record ScaleStepResult(ScaleAction? Action, string? Failure)
{
    public static readonly ScaleStepResult Idle = new(null, null);

    /// <summary>A scale is under way: a step was taken or is waiting, or one failed; the next pass continues it.</summary>
    public bool InProgress => Failure is not null || Action is ScaleAction.Reconfig or ScaleAction.StepDown or ScaleAction.Wait;

    public string? Message => Failure ?? Action?.Reason;
}
