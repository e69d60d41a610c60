namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>The one next step of a rollout, or why there is none now. Each is applied, then observed again.</summary>
public abstract record RolloutAction(string Reason)
{
    /// <summary>Every member pod runs the update revision and serves: nothing to do.</summary>
    public sealed record Steady(string Why) : RolloutAction(Why);

    /// <summary>Not safe yet (a member not healthy, a pod being replaced, no primary, the controller behind).</summary>
    public sealed record Wait(string Why) : RolloutAction(Why);

    /// <summary>Delete this pod (with its uid as precondition): the StatefulSet controller creates it at the update revision.</summary>
    public sealed record DeletePod(RolloutPod Pod, string Why) : RolloutAction(Why);

    /// <summary>replSetStepDown on this primary (the last outdated member), so it is restarted as a secondary.</summary>
    public sealed record StepDown(string Primary, string Why) : RolloutAction(Why);

    /// <summary>A restarted member did not become healthy within the bound: the rollout touches nothing until the spec changes.</summary>
    public sealed record Halt(string Pod, string Why) : RolloutAction(Why);
}
