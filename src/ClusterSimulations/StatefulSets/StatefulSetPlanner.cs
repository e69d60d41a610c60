using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// The StatefulSet controller's decisions, pure: from the set, its pods and the namespace's claims, which pods
/// and claims to create or delete in this pass, and the status to report. The controller applies the actions and
/// calls again on the next event, so "one at a time" policies emit at most one pod change per pass.
/// </summary>
public static class StatefulSetPlanner
{
    /// <summary>
    /// Plans one pass. With <paramref name="revisions"/> (from <see cref="StatefulSetRevisions.Resolve"/>) pods below
    /// the partition are created from the current revision's template, as newVersionedStatefulSetPod does; without,
    /// every pod uses the set's template and the revision names are computed from it.
    /// </summary>
    public static StatefulSetPlan Plan(V1StatefulSet set, IReadOnlyList<V1Pod> pods, IReadOnlyList<V1PersistentVolumeClaim> claims,
        RevisionPlan? revisions = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(claims);
        var ctx = new Context(set, pods, claims, revisions);
        var actions = new List<StatefulSetAction>();
        var blocked = CreateOrRepair(ctx, actions);
        if (!blocked)
        {
            blocked = ScaleDown(ctx, actions);
        }
        DeleteScaledClaims(ctx, actions);
        if (!blocked && actions.Count == 0)
        {
            RollingUpdate(ctx, actions);
        }
        UpdateClaimOwners(ctx, actions);
        return new StatefulSetPlan(actions, Status(ctx));
    }

    // Ascending ordinals: create missing claims and pods, replace finished pods. OrderedReady stops at the first
    // pod that is missing, not Running and Ready, or terminating; Parallel goes on.
    private static bool CreateOrRepair(Context ctx, List<StatefulSetAction> actions)
    {
        foreach (var ordinal in ctx.Desired)
        {
            ctx.Owned.TryGetValue(ordinal, out var pod);
            foreach (var claim in StatefulSetObjects.Claims(ctx.Set, ordinal).Where(c => !ctx.ClaimNames.Contains(c.Metadata.Name)))
            {
                actions.Add(new CreateClaim(claim));
            }
            if (pod is null)
            {
                actions.Add(new CreatePod(NewPod(ctx, ordinal)));
            }
            else if (PodState.IsFinished(pod) && !PodState.IsTerminating(pod))
            {
                actions.Add(new DeletePod(pod.Metadata.Name, "Failed"));
            }
            else if (PodState.IsRunningAndReady(pod) && !PodState.IsTerminating(pod))
            {
                continue;
            }
            if (!ctx.Parallel)
            {
                return true;
            }
        }
        return false;
    }

    // newVersionedStatefulSetPod: below the partition (or, without rollingUpdate, below currentReplicas) a pod is
    // made at the current revision, so a recreated pod there keeps the old template.
    private static V1Pod NewPod(Context ctx, int ordinal)
    {
        var strategy = ctx.Set.Spec.UpdateStrategy;
        var atCurrent = ctx.CurrentSet is not null
            && ((strategy?.Type is null or "RollingUpdate" && strategy?.RollingUpdate is null && ordinal < (ctx.Set.Status?.CurrentReplicas ?? 0))
                || (strategy?.RollingUpdate is not null && ordinal < (strategy.RollingUpdate.Partition ?? 0)));
        return atCurrent ? StatefulSetObjects.Pod(ctx.CurrentSet!, ordinal, ctx.CurrentRevision!)
            : StatefulSetObjects.Pod(ctx.Set, ordinal, ctx.UpdateRevision);
    }

    // Pods beyond the desired ordinals go, highest first: all at once (Parallel) or one at a time once every
    // other pod is Running and Ready (OrderedReady).
    private static bool ScaleDown(Context ctx, List<StatefulSetAction> actions)
    {
        var condemned = ctx.Owned.Where(p => !ctx.Desired.Contains(p.Key)).OrderByDescending(p => p.Key).Select(p => p.Value).ToList();
        foreach (var pod in condemned)
        {
            if (PodState.IsTerminating(pod))
            {
                if (!ctx.Parallel)
                {
                    return true;
                }
                continue;
            }
            actions.Add(new DeletePod(pod.Metadata.Name, "ScaleDown"));
            if (!ctx.Parallel)
            {
                return true;
            }
        }
        return condemned.Count > 0;
    }

    // whenScaled: Delete removes the claims of ordinals that were scaled away, once their pods are gone.
    private static void DeleteScaledClaims(Context ctx, List<StatefulSetAction> actions)
    {
        if (ctx.Set.Spec.PersistentVolumeClaimRetentionPolicy?.WhenScaled != "Delete")
        {
            return;
        }
        foreach (var template in ctx.Set.Spec.VolumeClaimTemplates ?? [])
        {
            var prefix = template.Metadata.Name + "-";
            foreach (var claim in ctx.ClaimNames.Where(c => c.StartsWith(prefix, StringComparison.Ordinal)))
            {
                var ordinal = StatefulSetNames.Ordinal(ctx.Set.Metadata.Name, claim[prefix.Length..]);
                if (ordinal is { } o && !ctx.Desired.Contains(o) && !ctx.Owned.ContainsKey(o))
                {
                    actions.Add(new DeleteClaim(claim));
                }
            }
        }
    }

    // The claims of every live pod follow the retention policy's ownership (Delete -> Retain drops the set's reference).
    private static void UpdateClaimOwners(Context ctx, List<StatefulSetAction> actions)
    {
        foreach (var (ordinal, pod) in ctx.Owned.Where(p => !PodState.IsTerminating(p.Value)))
        {
            foreach (var template in ctx.Set.Spec.VolumeClaimTemplates ?? [])
            {
                var name = StatefulSetNames.Claim(template.Metadata.Name, ctx.Set.Metadata.Name, ordinal);
                var inRange = ctx.Desired.Contains(ordinal);
                if (ctx.Claims.TryGetValue(name, out var claim) && ClaimOwnership.Updated(claim, ctx.Set, inRange) is { } owners)
                {
                    actions.Add(new UpdateClaimOwners(name, inRange, owners));
                }
            }
        }
    }

    // RollingUpdate: once every pod is Running and Ready, delete the highest-ordinal pod (>= partition) that is
    // not at the update revision; it comes back at the new revision on the next pass. OnDelete never deletes.
    private static void RollingUpdate(Context ctx, List<StatefulSetAction> actions)
    {
        var strategy = ctx.Set.Spec.UpdateStrategy;
        if (strategy?.Type == "OnDelete")
        {
            return;
        }
        var pods = ctx.Desired.Select(o => ctx.Owned[o]).ToList();
        if (pods.Any(p => PodState.IsTerminating(p) || !PodState.IsRunningAndReady(p)))
        {
            return;
        }
        var partition = strategy?.RollingUpdate?.Partition ?? 0;
        foreach (var ordinal in ctx.Desired.Where(o => o >= partition).OrderDescending())
        {
            var pod = ctx.Owned[ordinal];
            if (PodState.Revision(pod) != ctx.UpdateRevision)
            {
                actions.Add(new DeletePod(pod.Metadata.Name, "RollingUpdate"));
                ctx.DeletedForUpdate++;
                return;
            }
        }
    }

    private static V1StatefulSetStatus Status(Context ctx)
    {
        var pods = ctx.Owned.Values.ToList();
        var live = pods.Where(p => !PodState.IsTerminating(p)).ToList();
        var ready = pods.Count(PodState.IsRunningAndReady);
        var updated = live.Count(p => PodState.Revision(p) == ctx.UpdateRevision);
        var current = ctx.CurrentRevision ?? ctx.Set.Status?.CurrentRevision ?? ctx.UpdateRevision;
        // The update is complete when every desired pod runs the update revision and is ready.
        if (updated == ctx.Desired.Count && ready == ctx.Desired.Count && pods.Count == ctx.Desired.Count)
        {
            current = ctx.UpdateRevision;
        }
        return new V1StatefulSetStatus
        {
            ObservedGeneration = ctx.Set.Metadata.Generation,
            Replicas = pods.Count,
            ReadyReplicas = ready,
            AvailableReplicas = ready,
            // updateStatefulSet lowers currentReplicas for the pod it just deleted for the update: without a
            // rollingUpdate block, newVersionedStatefulSetPod recreates ordinals below it at the current revision.
            CurrentReplicas = live.Count(p => PodState.Revision(p) == current) - ctx.DeletedForUpdate,
            UpdatedReplicas = updated,
            CurrentRevision = current,
            UpdateRevision = ctx.UpdateRevision,
            CollisionCount = ctx.Set.Status?.CollisionCount ?? 0,
        };
    }

    private sealed class Context
    {
        public Context(V1StatefulSet set, IReadOnlyList<V1Pod> pods, IReadOnlyList<V1PersistentVolumeClaim> claims, RevisionPlan? revisions)
        {
            Set = set;
            if (revisions is not null && revisions.Current.Metadata.Name != revisions.Update.Metadata.Name)
            {
                CurrentRevision = revisions.Current.Metadata.Name;
                CurrentSet = StatefulSetNames.Clone(set);
                CurrentSet.Spec.Template = StatefulSetRevisions.Template(revisions.Current);
            }
            else if (revisions is not null)
            {
                CurrentRevision = revisions.Current.Metadata.Name;
            }
            var start = set.Spec.Ordinals?.Start ?? 0;
            Desired = [.. Enumerable.Range(start, Math.Max(0, set.Spec.Replicas ?? 1))];
            Parallel = set.Spec.PodManagementPolicy == "Parallel";
            UpdateRevision = revisions?.Update.Metadata.Name ?? StatefulSetNames.Revision(set);
            ClaimNames = [.. claims.Select(c => c.Metadata.Name)];
            Claims = claims.GroupBy(c => c.Metadata.Name).ToDictionary(g => g.Key, g => g.First());
            foreach (var pod in pods.Where(p => OwnedBy(p, set)))
            {
                if (StatefulSetNames.Ordinal(set.Metadata.Name, pod.Metadata.Name) is { } ordinal)
                {
                    Owned[ordinal] = pod;
                }
            }
        }

        public V1StatefulSet Set { get; }
        public List<int> Desired { get; }
        public bool Parallel { get; }
        public string UpdateRevision { get; }
        public string? CurrentRevision { get; }
        public V1StatefulSet? CurrentSet { get; }
        public HashSet<string> ClaimNames { get; }
        public Dictionary<string, V1PersistentVolumeClaim> Claims { get; }
        public SortedDictionary<int, V1Pod> Owned { get; } = [];
        public int DeletedForUpdate { get; set; }

        private static bool OwnedBy(V1Pod pod, V1StatefulSet set) =>
            pod.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Kind == "StatefulSet"
                && (o.Uid == set.Metadata.Uid || (set.Metadata.Uid is null && o.Name == set.Metadata.Name))) == true;
    }
}
