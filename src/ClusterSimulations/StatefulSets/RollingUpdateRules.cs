using System.Globalization;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// The RollingUpdate strategy's numbers, pure (kubernetes stateful_set_utils.go newVersionedStatefulSetPod,
/// getStatefulSetMaxUnavailable; apps/v1 SetDefaults_StatefulSet for what an API server fills in).
/// </summary>
public static class RollingUpdateRules
{
    /// <summary>
    /// newVersionedStatefulSetPod: whether a pod created for <paramref name="ordinal"/> takes the current revision.
    /// With a rollingUpdate block, ordinals below start + partition do; without one (type RollingUpdate given with
    /// no rollingUpdate, which the API server leaves so), ordinals below start + status.currentReplicas do. Go's
    /// precedence is kept: the partition clause does not check the type (validation allows rollingUpdate only
    /// with RollingUpdate).
    /// </summary>
    public static bool AtCurrentRevision(V1StatefulSet set, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(set);
        var start = set.Spec.Ordinals?.Start ?? 0;
        var rolling = set.Spec.UpdateStrategy?.RollingUpdate;
        return (StatefulSetStatusRules.StrategyType(set) == "RollingUpdate" && rolling is null && ordinal < start + (set.Status?.CurrentReplicas ?? 0))
            || (rolling is not null && ordinal < start + Partition(set));
    }

    /// <summary>rollingUpdate.partition (an API server defaults it to 0 when rollingUpdate is present).</summary>
    public static int Partition(V1StatefulSet set) => set?.Spec?.UpdateStrategy?.RollingUpdate?.Partition ?? 0;

    /// <summary>
    /// getStatefulSetMaxUnavailable: rollingUpdate.maxUnavailable (default 1), a percentage of spec.replicas
    /// rounded down, never below 1. Without a rollingUpdate block the controller uses 1.
    /// </summary>
    public static int MaxUnavailable(V1StatefulSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var replicas = set.Spec.Replicas ?? 1;
        var value = set.Spec.UpdateStrategy?.RollingUpdate?.MaxUnavailable?.Value;
        var n = value switch
        {
            null => 1,
            string s when s.EndsWith('%') && int.TryParse(s[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var pct) => pct * replicas / 100,
            string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var i) => i,
            _ => 1,
        };
        return Math.Max(1, n);
    }
}
