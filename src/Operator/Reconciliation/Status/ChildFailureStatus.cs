using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Apply;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Status;

/// <summary>
/// Pure: what the children the API refused do to the conditions. Any failure: Ready False naming every failed child.
/// One retrying cannot fix: kstatus Stalled (ChildRejected). One that a retry may fix: Reconciling (ChildApplyRetrying).
/// </summary>
public static class ChildFailureStatus
{
    /// <summary>Sets the conditions for <paramref name="failures"/> (none: nothing changes); true when one moved.</summary>
    public static bool Apply(List<V1Condition> conditions, IReadOnlyList<ChildFailure> failures, long? generation, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count == 0)
        {
            return false;
        }
        var stalled = failures.Where(f => f.Stalled).ToList();
        var transient = failures.Where(f => !f.Stalled).ToList();
        var changed = false;
        if (stalled.Count > 0)
        {
            changed |= Conditions.Set(conditions, ConditionTypes.Stalled, Conditions.True, ConditionReasons.ChildRejected, Message(stalled), generation, now);
        }
        if (transient.Count > 0)
        {
            changed |= Conditions.Set(conditions, ConditionTypes.Reconciling, Conditions.True, ConditionReasons.ChildApplyRetrying, Message(transient), generation, now);
        }
        else
        {
            changed |= Conditions.Remove(conditions, ConditionTypes.Reconciling);
        }
        var reason = stalled.Count > 0 ? ConditionReasons.ChildRejected : ConditionReasons.ChildApplyRetrying;
        changed |= Conditions.Set(conditions, ConditionTypes.Ready, Conditions.False, reason, Message(failures), generation, now);
        return changed;
    }

    /// <summary>The failures the Ready condition in <paramref name="current"/> does not already name (announce these once).</summary>
    public static IReadOnlyList<ChildFailure> Unannounced(IEnumerable<V1Condition>? current, IReadOnlyList<ChildFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var ready = Conditions.Find(current, ConditionTypes.Ready);
        var named = ready is { Status: Conditions.False } ? ready.Message ?? "" : "";
        return [.. failures.Where(f => !named.Contains(f.Describe(), StringComparison.Ordinal))];
    }

    private static string Message(IEnumerable<ChildFailure> failures) =>
        "could not apply " + string.Join("; ", failures.Select(f => f.Describe()));
}
