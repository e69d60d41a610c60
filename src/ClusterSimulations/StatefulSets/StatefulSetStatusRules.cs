using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// The status the StatefulSet controller reports, pure (kubernetes stateful_set_control.go computeReplicaStatus,
/// updateStatus, updateStatefulSetStatus; stateful_set_utils.go completeRollingUpdate, inconsistentStatus).
/// </summary>
public static class StatefulSetStatusRules
{
    /// <summary>
    /// updateStatus over every pod listed: replicas counts created pods (terminating ones too), readyReplicas the
    /// Running and Ready ones, availableReplicas those Ready for minReadySeconds, currentReplicas and
    /// updatedReplicas the created, non-terminating pods labelled with the current or update revision.
    /// </summary>
    public static V1StatefulSetStatus Compute(V1StatefulSet set, IEnumerable<V1Pod> pods, string currentRevision, string updateRevision,
        int collisionCount, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(pods);
        var minReady = set.Spec.MinReadySeconds ?? 0;
        var created = pods.Where(PodState.IsCreated).ToList();
        var live = created.Where(p => !PodState.IsTerminating(p)).ToList();
        var ready = created.Where(PodState.IsRunningAndReady).ToList();
        return new V1StatefulSetStatus
        {
            ObservedGeneration = set.Metadata.Generation,
            Replicas = created.Count,
            ReadyReplicas = ready.Count,
            AvailableReplicas = ready.Count(p => PodState.IsAvailable(p, minReady, now)),
            CurrentReplicas = live.Count(p => PodState.Revision(p) == currentRevision),
            UpdatedReplicas = live.Count(p => PodState.Revision(p) == updateRevision),
            CurrentRevision = currentRevision,
            UpdateRevision = updateRevision,
            CollisionCount = collisionCount,
        };
    }

    /// <summary>
    /// completeRollingUpdate: under RollingUpdate, once updatedReplicas, readyReplicas and replicas all equal
    /// spec.replicas, currentRevision becomes the update revision and currentReplicas updatedReplicas. Under
    /// OnDelete currentRevision never moves: compare pods' revisions with updateRevision instead.
    /// </summary>
    public static V1StatefulSetStatus CompleteRollingUpdate(V1StatefulSet set, V1StatefulSetStatus status)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(status);
        var replicas = set.Spec.Replicas ?? 1;
        if (StrategyType(set) == "RollingUpdate" && status.UpdatedReplicas == replicas && status.ReadyReplicas == replicas
            && status.Replicas == replicas)
        {
            status.CurrentReplicas = status.UpdatedReplicas;
            status.CurrentRevision = status.UpdateRevision;
        }
        return status;
    }

    /// <summary>
    /// inconsistentStatus: the status is written only when observedGeneration grew or a count or revision changed
    /// (collisionCount alone does not cause a write).
    /// </summary>
    public static bool Changed(V1StatefulSetStatus? old, V1StatefulSetStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return old is null
            || (status.ObservedGeneration ?? 0) > (old.ObservedGeneration ?? 0)
            || status.Replicas != old.Replicas
            || (status.CurrentReplicas ?? 0) != (old.CurrentReplicas ?? 0)
            || (status.ReadyReplicas ?? 0) != (old.ReadyReplicas ?? 0)
            || (status.UpdatedReplicas ?? 0) != (old.UpdatedReplicas ?? 0)
            || status.CurrentRevision != old.CurrentRevision
            || (status.AvailableReplicas ?? 0) != (old.AvailableReplicas ?? 0)
            || status.UpdateRevision != old.UpdateRevision;
    }

    /// <summary>spec.updateStrategy.type, RollingUpdate when unset (SetDefaults_StatefulSet).</summary>
    public static string StrategyType(V1StatefulSet set) => set?.Spec?.UpdateStrategy?.Type is { Length: > 0 } t ? t : "RollingUpdate";
}
