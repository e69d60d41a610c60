using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>How the reconciler must write one owned object.</summary>
public enum ApplyAction
{
    /// <summary>Nothing we own or guard differs: no write at all (steady state costs nothing).</summary>
    None,

    /// <summary>The object is absent: create it.</summary>
    Create,

    /// <summary>Owned fields differ or are missing: server-side apply with force restores them.</summary>
    Apply,

    /// <summary>
    /// Something was added beside our fields (a container, a hostNetwork flag, a config key). Apply
    /// leaves fields other managers own in place, so the desired object must be written over the
    /// live one (update with its resourceVersion, or a JSON patch removing the additions).
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
            _ when ours.Any(f => f.Change == DriftChange.Added) => ApplyAction.Replace,
            _ => ApplyAction.Apply,
        };
        return new ApplyDecision(action, findings);
    }
}
