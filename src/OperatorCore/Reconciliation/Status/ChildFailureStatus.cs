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
            changed |= Conditions.Set(conditions, ConditionTypes.Stalled, Conditions.True, Reason(stalled, ConditionReasons.ChildRejected), Message(stalled), generation, now);
        }
        if (transient.Count > 0)
        {
            changed |= Conditions.Set(conditions, ConditionTypes.Reconciling, Conditions.True, Reason(transient, ConditionReasons.ChildApplyRetrying), Message(transient), generation, now);
        }
        else
        {
            changed |= Conditions.Remove(conditions, ConditionTypes.Reconciling);
        }
        var reason = stalled.Count > 0 ? Reason(stalled, ConditionReasons.ChildRejected) : Reason(transient, ConditionReasons.ChildApplyRetrying);
        changed |= Conditions.Set(conditions, ConditionTypes.Ready, Conditions.False, reason, Message(failures), generation, now);
        return changed;
    }

    /// <summary>The failures the Ready condition in <paramref name="current"/> does not already name (announce these once).</summary>
    public static IReadOnlyList<ChildFailure> Unannounced(IEnumerable<V1Condition>? current, IReadOnlyList<ChildFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var ready = Conditions.Find(current, ConditionTypes.Ready);
        var named = ready is { Status: Conditions.False } ? ready.Message ?? "" : "";
        // A child the operator only holds while it works on it (a re-created StatefulSet) is announced by that step.
        return [.. failures.Where(f => !(f.Reason is not null && !f.Stalled) && !named.Contains(f.Describe(), StringComparison.Ordinal))];
    }

    /// <summary>The reason an Event or condition gives for <paramref name="failure"/>: its own (operator-held), else by code.</summary>
    public static string ReasonOf(ChildFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Reason ?? (failure.Stalled ? ConditionReasons.ChildRejected : ConditionReasons.ChildApplyRetrying);
    }

    // The first operator-held reason among the failures (it names what is going on better than a generic one).
    private static string Reason(IEnumerable<ChildFailure> failures, string fallback) =>
        failures.Select(f => f.Reason).FirstOrDefault(r => r is not null) ?? fallback;

    private static string Message(IEnumerable<ChildFailure> failures) =>
        "could not apply " + string.Join("; ", failures.Select(f => f.Describe()));
}
