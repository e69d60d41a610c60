namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>The one next step of a scale, or why there is none now. Each is applied, then observed again.</summary>
public abstract record ScaleAction(string Reason)
{
    /// <summary>The config holds exactly the spec's members, every one voting: nothing to do.</summary>
    public sealed record Steady(string Why) : ScaleAction(Why);

    /// <summary>Not safe or not possible yet (no primary, config not committed, a member still syncing).</summary>
    public sealed record Wait(string Why) : ScaleAction(Why);

    /// <summary>replSetReconfig to these members (version: the observed one plus one).</summary>
    public sealed record Reconfig(IReadOnlyList<ConfigMember> Members, int Version, string Why) : ScaleAction(Why);

    /// <summary>replSetStepDown on this primary: it is about to be removed.</summary>
    public sealed record StepDown(string Primary, string Why) : ScaleAction(Why);
}
