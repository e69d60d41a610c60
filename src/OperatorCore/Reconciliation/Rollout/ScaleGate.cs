using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>
/// Pure: whether a pass reads the replica set for scaling, and the StatefulSet size a pass renders. Reading the
/// set costs a connection to the primary, so a pass at rest skips it; everything that can start or continue a
/// scale makes it due, each read from the cluster (never from this process): the spec and the StatefulSet differ in
/// size, fewer member pods are Ready than the spec declares, the status says a scale is under way (the Reconciling
/// condition with reason Scaling, which the pass that last acted wrote), or a verification ran now (a config changed
/// by hand is found within one verification interval).
/// </summary>
public static class ScaleGate
{
    /// <summary>The largest set the spec allows (HipaaMongoSpec.members: 3, 5 or 7).</summary>
    public const int MaxMembers = 7;

    public static bool Due(int declared, int? statefulSetReplicas, int readyPods, IReadOnlyList<V1Condition>? conditions, bool verifiedNow) =>
        verifiedNow
        || statefulSetReplicas is { } live && live != declared
        || readyPods != declared
        || Conditions.Find(conditions, ConditionTypes.Reconciling)?.Reason == ConditionReasons.Scaling;

    /// <summary>
    /// The pods to render: the spec's, or more while the StatefulSet still runs members that have not left the
    /// config yet (the scale step lowers the StatefulSet only after their removal; this never lowers it). At most
    /// <see cref="MaxMembers"/>, so a StatefulSet scaled by hand beyond any supported size is not kept.
    /// </summary>
    public static int PodsToRender(int declared, int? statefulSetReplicas) =>
        Math.Max(declared, Math.Min(statefulSetReplicas ?? 0, MaxMembers));
}
