using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>
/// Pure: whether a pass reads the replica set for a rollout. Reading costs a connection to the primary, so a pass at
/// rest skips it. Due, from the cluster only: a member pod is not at the StatefulSet's update revision, or the status
/// says a rollout was under way or halted (written by the pass that last acted), so the pass after the last member's
/// restart still reads until that member is healthy; or featureCompatibilityVersion may need raising.
/// </summary>
public static class RolloutGate
{
    public static bool Due(V1StatefulSet? set, IEnumerable<V1Pod> memberPods, IReadOnlyList<V1Condition>? conditions) =>
        RolloutReading.Outdated(set, memberPods)
        || Conditions.Find(conditions, ConditionTypes.Reconciling)?.Reason == ConditionReasons.RollingUpdate
        || Conditions.Find(conditions, ConditionTypes.Stalled)?.Reason == ConditionReasons.RolloutHalted;

    /// <summary>As above, and also while the stored featureCompatibilityVersion is unread or not spec.version's release.</summary>
    public static bool Due(V1StatefulSet? set, IEnumerable<V1Pod> memberPods, IReadOnlyList<V1Condition>? conditions, string? storedFcv,
        string declaredVersion) =>
        Due(set, memberPods, conditions) || FcvPlanner.Due(storedFcv, declaredVersion);
}
