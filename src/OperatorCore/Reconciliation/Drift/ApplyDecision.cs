namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>How the reconciler must write one owned object.</summary>
public enum ApplyAction
{
    /// <summary>Nothing differs from the render as the server stores it: no write at all (steady state costs nothing).</summary>
    None,

    /// <summary>The object is absent: create it.</summary>
    Create,

    /// <summary>
    /// Only our last-applied stamps are missing: server-side apply with force adds them. Never used to revert drift,
    /// because apply leaves fields other managers own (an added env var, a changed default) in place.
    /// </summary>
    Apply,

    /// <summary>
    /// Something differs: the desired object is written over the live one (update with its resourceVersion), which
    /// puts back what was changed or removed and removes what was added, whichever manager owns it.
    /// </summary>
    Replace,
}

/// <summary>The pure write decision for one desired object and its live copy, with the findings behind it.</summary>
public sealed record ApplyDecision(ApplyAction Action, IReadOnlyList<DriftFinding> Findings)
{
    public bool WriteNeeded => Action != ApplyAction.None;

    /// <summary>
    /// The decision for one owned object's findings. A foreign NetworkPolicy is not ours to write,
    /// so its findings never cause a write (they are reported, not reverted).
    /// </summary>
    public static ApplyDecision From(IReadOnlyList<DriftFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var ours = findings.Where(f => f.Class != DriftClass.ForeignNetworkPolicyOpensPods).ToList();
        var action = ours switch
        {
            [] => ApplyAction.None,
            _ when ours.Any(f => f.Change == DriftChange.ObjectMissing) => ApplyAction.Create,
            _ => ApplyAction.Replace,
        };
        return new ApplyDecision(action, findings);
    }
}
