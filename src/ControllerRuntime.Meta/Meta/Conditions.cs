using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Meta;

/// <summary>
/// Conditions edits a metav1.Condition list the way apimachinery's meta.SetStatusCondition does:
/// the list is a map keyed by type; lastTransitionTime moves only when status changes, never when only
/// reason, message or observedGeneration change. Each call says whether anything changed, so callers skip
/// the status write when nothing did (steady state costs no writes).
/// </summary>
public static class Conditions
{
    /// <summary>The three legal statuses.</summary>
    public const string True = "True";

    /// <inheritdoc cref="True"/>
    public const string False = "False";

    /// <inheritdoc cref="True"/>
    public const string Unknown = "Unknown";

    /// <summary>
    /// Sets condition <paramref name="type"/>; returns true when the list changed. <paramref name="now"/> becomes
    /// lastTransitionTime only for a new condition or a status flip (pass the clock in, so tests are exact).
    /// </summary>
    public static bool Set(IList<V1Condition> conditions, string type, string status, string reason, string message,
        long? observedGeneration, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (status is not (True or False or Unknown))
        {
            throw new ArgumentException($"condition status must be True, False or Unknown, not '{status}'", nameof(status));
        }
        var existing = Find(conditions, type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message ?? "",
                ObservedGeneration = observedGeneration,
                LastTransitionTime = now,
            });
            return true;
        }
        var changed = false;
        if (existing.Status != status)
        {
            existing.Status = status;
            existing.LastTransitionTime = now;
            changed = true;
        }
        changed |= Assign(existing.Reason, reason, v => existing.Reason = v);
        changed |= Assign(existing.Message, message ?? "", v => existing.Message = v);
        if (existing.ObservedGeneration != observedGeneration)
        {
            existing.ObservedGeneration = observedGeneration;
            changed = true;
        }
        return changed;
    }

    /// <summary>Removes condition <paramref name="type"/> (e.g. Stalled once resolved); true if it was there.</summary>
    public static bool Remove(IList<V1Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = Find(conditions, type);
        return existing is not null && conditions.Remove(existing);
    }

    /// <summary>The condition of <paramref name="type"/>, or null.</summary>
    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>True when condition <paramref name="type"/> exists with status True.</summary>
    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) => Find(conditions, type)?.Status == True;

    /// <summary>
    /// A deep copy of <paramref name="conditions"/> to edit with <see cref="Set"/>: objects from an informer cache
    /// are shared and must never be mutated in place.
    /// </summary>
    public static List<V1Condition> Copy(IEnumerable<V1Condition>? conditions) =>
        [.. (conditions ?? []).Select(c => new V1Condition
        {
            Type = c.Type,
            Status = c.Status,
            Reason = c.Reason,
            Message = c.Message,
            ObservedGeneration = c.ObservedGeneration,
            LastTransitionTime = c.LastTransitionTime,
        })];

    private static bool Assign(string? current, string wanted, Action<string> set)
    {
        if (current == wanted)
        {
            return false;
        }
        set(wanted);
        return true;
    }
}
