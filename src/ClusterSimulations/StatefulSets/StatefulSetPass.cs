using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// What one pass of the StatefulSet controller works on (updateStatefulSet's locals): the set at its current and
/// update revisions, the replicas slice (a pod per ordinal in range, a not-yet-created one where none exists), the
/// condemned pods (ordinals out of range, highest first) and the first unavailable pod.
/// </summary>
internal sealed class StatefulSetPass
{
    public StatefulSetPass(V1StatefulSet set, IReadOnlyList<V1Pod> pods, IReadOnlyList<V1PersistentVolumeClaim> claims, RevisionPlan revisions,
        DateTimeOffset now)
    {
        Set = set;
        Now = now;
        MinReadySeconds = set.Spec.MinReadySeconds ?? 0;
        Monotonic = set.Spec.PodManagementPolicy != "Parallel"; // allowsBurst
        CurrentRevision = revisions.Current.Metadata.Name;
        UpdateRevision = revisions.Update.Metadata.Name;
        // ApplyRevision: the set with the current revision's template (its status too, read by newVersionedStatefulSetPod).
        CurrentSet = StatefulSetNames.Clone(set);
        CurrentSet.Spec.Template = StatefulSetRevisions.Template(revisions.Current);
        Claims = claims.GroupBy(c => c.Metadata.Name).ToDictionary(g => g.Key, g => g.First());
        Owned = [.. pods.Where(p => OwnedBy(p, set) && StatefulSetNames.Ordinal(set.Metadata.Name, p.Metadata.Name) is not null)];
        var start = set.Spec.Ordinals?.Start ?? 0;
        var byOrdinal = Owned.ToDictionary(p => StatefulSetNames.Ordinal(set.Metadata.Name, p.Metadata.Name)!.Value);
        Replicas = [.. Enumerable.Range(start, Math.Max(0, set.Spec.Replicas ?? 1))
            .Select(o => byOrdinal.TryGetValue(o, out var pod) ? pod : NewVersionedPod(o))];
        Condemned = [.. Owned.Where(p => !ClaimOwnership.InRange(set, p)).OrderByDescending(p => Ordinal(p))];
        FirstUnavailable = Replicas.FirstOrDefault(IsUnavailable) ?? Condemned.LastOrDefault(IsUnavailable);
    }

    public V1StatefulSet Set { get; }
    public V1StatefulSet CurrentSet { get; }
    public DateTimeOffset Now { get; }
    public int MinReadySeconds { get; }
    public bool Monotonic { get; }
    public string CurrentRevision { get; }
    public string UpdateRevision { get; }
    public Dictionary<string, V1PersistentVolumeClaim> Claims { get; }
    public List<V1Pod> Owned { get; }
    public List<V1Pod> Replicas { get; }
    public List<V1Pod> Condemned { get; }
    public V1Pod? FirstUnavailable { get; }

    /// <summary>Pods deleted for the update in this pass (each lowers status.currentReplicas).</summary>
    public int DeletedForUpdate { get; set; }

    public bool IsUnavailable(V1Pod pod) => PodState.IsUnavailable(pod, MinReadySeconds, Now);

    public bool IsAvailable(V1Pod pod) => PodState.IsAvailable(pod, MinReadySeconds, Now);

    public int Ordinal(V1Pod pod) => StatefulSetNames.Ordinal(Set.Metadata.Name, pod.Metadata.Name) ?? -1;

    // newVersionedStatefulSetPod.
    private V1Pod NewVersionedPod(int ordinal) => RollingUpdateRules.AtCurrentRevision(CurrentSet, ordinal)
        ? StatefulSetObjects.Pod(CurrentSet, ordinal, CurrentRevision)
        : StatefulSetObjects.Pod(Set, ordinal, UpdateRevision);

    private static bool OwnedBy(V1Pod pod, V1StatefulSet set) =>
        pod.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Kind == "StatefulSet"
            && (o.Uid == set.Metadata.Uid || (set.Metadata.Uid is null && o.Name == set.Metadata.Name))) == true;
}
