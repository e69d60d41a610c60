using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Reconciliation.Drift;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>
/// Computes the next status conditions (kstatus: Reconciling and Stalled are present only when True,
/// Ready always). Pure: takes the current list and returns a new one and whether anything moved.
/// </summary>
public static class StatusPlanner
{
    public sealed record Plan(List<V1Condition> Conditions, bool Changed);

    /// <summary>The spec is refused: Stalled with every field-path message, not Ready, not progressing.</summary>
    public static Plan Invalid(HipaaMongoResource resource, IReadOnlyList<ValidationError> errors, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(errors);
        var conditions = Current(resource);
        var generation = resource.Metadata.Generation;
        var message = string.Join("; ", errors.Select(e => e.ToString()));
        var changed = Conditions.Set(conditions, ConditionTypes.Stalled, Conditions.True, ConditionReasons.SpecInvalid, message, generation, now);
        changed |= Conditions.Set(conditions, ConditionTypes.Ready, Conditions.False, ConditionReasons.SpecInvalid, message, generation, now);
        changed |= Conditions.Remove(conditions, ConditionTypes.Reconciling);
        return new Plan(conditions, changed);
    }

    /// <summary>
    /// Every child was applied. Ready follows the members (the StatefulSet's ready replicas) until live
    /// verification lands; NetworkIsolated is False while a foreign policy opens the pods.
    /// </summary>
    public static Plan Applied(HipaaMongoResource resource, int readyMembers, IReadOnlyList<DriftFinding> foreignPolicies, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(foreignPolicies);
        var conditions = Current(resource);
        var generation = resource.Metadata.Generation;
        var members = resource.Spec.Members;
        var changed = Conditions.Remove(conditions, ConditionTypes.Stalled);
        if (readyMembers >= members)
        {
            changed |= Conditions.Set(conditions, ConditionTypes.Ready, Conditions.True, ConditionReasons.ReconciliationSucceeded,
                $"all {members} members ready; every desired object applied", generation, now);
            changed |= Conditions.Remove(conditions, ConditionTypes.Reconciling);
        }
        else
        {
            var message = $"{readyMembers} of {members} members ready";
            changed |= Conditions.Set(conditions, ConditionTypes.Ready, Conditions.False, ConditionReasons.MembersNotReady, message, generation, now);
            changed |= Conditions.Set(conditions, ConditionTypes.Reconciling, Conditions.True, ConditionReasons.MembersNotReady, message, generation, now);
        }
        changed |= NetworkIsolated(conditions, foreignPolicies, generation, now);
        return new Plan(conditions, changed);
    }

    private static bool NetworkIsolated(List<V1Condition> conditions, IReadOnlyList<DriftFinding> foreign, long? generation, DateTime now) =>
        foreign.Count == 0
            ? Conditions.Set(conditions, ConditionTypes.NetworkIsolated, Conditions.True, ConditionReasons.ReconciliationSucceeded,
                "default-deny and allow policies applied; no other policy opens the pods", generation, now)
            : Conditions.Set(conditions, ConditionTypes.NetworkIsolated, Conditions.False, ConditionReasons.DriftDetected,
                "policies not ours open the pods: " + string.Join(", ", foreign.Select(f => f.Name).Distinct().Order(StringComparer.Ordinal)),
                generation, now);

    // A copy, so the cached object is never mutated.
    private static List<V1Condition> Current(HipaaMongoResource resource) => Conditions.Copy(resource.Status?.Conditions);
}
