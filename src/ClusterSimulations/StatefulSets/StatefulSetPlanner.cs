using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// The StatefulSet controller's decisions, pure, after kube-controller-manager 1.35's updateStatefulSet
/// (kubernetes pkg/controller/statefulset/stateful_set_control.go): process the replicas in ordinal order
/// (processReplica), fix the condemned pods' claims, delete the condemned highest first (processCondemned), then
/// the RollingUpdate step (updateStatefulSetAfterInvariantEstablished; MaxUnavailableStatefulSet is beta and on
/// from 1.35). OrderedReady (monotonic) stops at the first step that must wait; Parallel goes on. The controller
/// applies the actions and calls again on the next event.
/// </summary>
public static class StatefulSetPlanner
{
    private enum Step { Next, Wait, Fail }

    /// <summary>Plans one pass at <paramref name="now"/> (the simulated clock, for minReadySeconds).</summary>
    public static StatefulSetPlan Plan(V1StatefulSet set, IReadOnlyList<V1Pod> pods, IReadOnlyList<V1PersistentVolumeClaim> claims,
        RevisionPlan revisions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(revisions);
        var pass = new StatefulSetPass(set, pods, claims, revisions, now);
        var actions = new List<StatefulSetAction>();
        var exited = RunForAll(pass, pass.Replicas, p => ProcessReplica(pass, p, actions))
            || RunForAll(pass, pass.Condemned, p => FixClaims(pass, p, actions))
            || RunForAll(pass, pass.Condemned, p => ProcessCondemned(pass, p, actions));
        if (!exited && StatefulSetStatusRules.StrategyType(set) != "OnDelete")
        {
            RollingUpdate(pass, actions); // OnDelete: pods are replaced only when someone deletes them
        }
        var status = StatefulSetStatusRules.Compute(set, pass.Replicas.Concat(pass.Condemned), pass.CurrentRevision, pass.UpdateRevision,
            revisions.CollisionCount, now);
        status.CurrentReplicas -= pass.DeletedForUpdate; // status.CurrentReplicas-- for each pod deleted for the update
        status = StatefulSetStatusRules.CompleteRollingUpdate(set, status);
        return new StatefulSetPlan(actions, status, StatefulSetStatusRules.Changed(set.Status, status), Recheck(set, status));
    }

    // runForAll: monotonic stops at the first Wait or Fail; Parallel (slowStartBatch) only at a Fail.
    private static bool RunForAll(StatefulSetPass pass, IEnumerable<V1Pod> pods, Func<V1Pod, Step> fn)
    {
        foreach (var pod in pods.ToList())
        {
            var step = fn(pod);
            if (step == Step.Fail || (step == Step.Wait && pass.Monotonic))
            {
                return true;
            }
        }
        return false;
    }

    // processReplica.
    private static Step ProcessReplica(StatefulSetPass pass, V1Pod pod, List<StatefulSetAction> actions)
    {
        if (PodState.IsFinished(pod))
        {
            if (!PodState.IsTerminating(pod))
            {
                actions.Add(new DeletePod(pod.Metadata.Name, "Failed"));
            }
            return Step.Wait; // a new pod is made on a later pass, once this one is gone
        }
        if (!PodState.IsCreated(pod))
        {
            return Create(pass, pod, actions);
        }
        if (PodState.IsPending(pod) && !CreateMissingClaims(pass, pod, actions))
        {
            return Step.Fail;
        }
        if (pass.Monotonic && (PodState.IsTerminating(pod) || !PodState.IsRunningAndReady(pod) || !pass.IsAvailable(pod)))
        {
            return Step.Wait;
        }
        FixClaims(pass, pod, actions); // UpdateStatefulPod: the claims follow the retention policy
        return Step.Next;
    }

    // PodClaimIsStale, then CreateStatefulPod: claims first (one being deleted fails the pass), the pod, then the
    // claims' owners as far as they can be set before the pod has a uid.
    private static Step Create(StatefulSetPass pass, V1Pod pod, List<StatefulSetAction> actions)
    {
        var claims = StatefulSetObjects.Claims(pass.Set, pass.Ordinal(pod)).ToList();
        if (ClaimOwnership.BlocksCreation(claims.Select(c => pass.Claims.GetValueOrDefault(c.Metadata.Name) ?? c), pass.Set, pod))
        {
            return Step.Wait;
        }
        if (!CreateMissingClaims(pass, pod, actions))
        {
            return Step.Fail;
        }
        actions.Add(new CreatePod(pod));
        FixClaims(pass, pod, actions);
        return Step.Wait; // monotonic: one creation per pass
    }

    // createPersistentVolumeClaims: the missing claims are created; one that exists but is being deleted is an error.
    private static bool CreateMissingClaims(StatefulSetPass pass, V1Pod pod, List<StatefulSetAction> actions)
    {
        var ok = true;
        foreach (var claim in StatefulSetObjects.Claims(pass.Set, pass.Ordinal(pod)))
        {
            if (pass.Claims.TryGetValue(claim.Metadata.Name, out var existing))
            {
                ok &= existing.Metadata.DeletionTimestamp is null;
                continue;
            }
            actions.Add(new CreateClaim(claim));
            pass.Claims[claim.Metadata.Name] = claim;
        }
        return ok;
    }

    // ClaimsMatchRetentionPolicy / UpdatePodClaimForRetentionPolicy for the pod's claims (a missing one is picked
    // up on a later pass).
    private static Step FixClaims(StatefulSetPass pass, V1Pod pod, List<StatefulSetAction> actions)
    {
        foreach (var template in pass.Set.Spec.VolumeClaimTemplates ?? [])
        {
            var name = StatefulSetNames.Claim(template.Metadata.Name, pass.Set.Metadata.Name, pass.Ordinal(pod));
            if (pass.Claims.TryGetValue(name, out var claim) && ClaimOwnership.Updated(claim, pass.Set, pod) is { } owners)
            {
                actions.Add(new UpdateClaimOwners(name, pod, owners));
            }
        }
        return Step.Next;
    }

    // processCondemned: monotonic waits for a terminating pod, and for an unhealthy one unless it is the first
    // unavailable pod (so a broken pod can still be scaled away); one deletion per pass.
    private static Step ProcessCondemned(StatefulSetPass pass, V1Pod pod, List<StatefulSetAction> actions)
    {
        if (PodState.IsTerminating(pod))
        {
            return pass.Monotonic ? Step.Wait : Step.Next;
        }
        if (pass.Monotonic && !ReferenceEquals(pod, pass.FirstUnavailable) && (!PodState.IsRunningAndReady(pod) || !pass.IsAvailable(pod)))
        {
            return Step.Wait;
        }
        actions.Add(new DeletePod(pod.Metadata.Name, "ScaleDown"));
        return Step.Wait;
    }

    // updateStatefulSetAfterInvariantEstablished: with U replicas unavailable (terminating, not Running and Ready,
    // or Ready for less than minReadySeconds), at most maxUnavailable − U pods not at the update revision are
    // deleted, highest ordinal first, never below the partition. Each comes back at the update revision.
    private static void RollingUpdate(StatefulSetPass pass, List<StatefulSetAction> actions)
    {
        var rolling = pass.Set.Spec.UpdateStrategy?.RollingUpdate;
        var updateMin = RollingUpdateRules.Partition(pass.Set);
        var maxUnavailable = rolling is null ? 1 : RollingUpdateRules.MaxUnavailable(pass.Set);
        var unavailable = pass.Replicas.Count(pass.IsUnavailable);
        if (unavailable > maxUnavailable)
        {
            return;
        }
        var toDelete = maxUnavailable - unavailable;
        for (var target = pass.Replicas.Count - 1; target >= updateMin && pass.DeletedForUpdate < toDelete; target--)
        {
            var pod = pass.Replicas[target];
            if (PodState.Revision(pod) != pass.UpdateRevision && !PodState.IsTerminating(pod))
            {
                actions.Add(new DeletePod(pod.Metadata.Name, "RollingUpdate"));
                pass.DeletedForUpdate++;
            }
        }
    }

    // syncStatefulSet: with minReadySeconds, look again after it while not every replica is available.
    private static TimeSpan? Recheck(V1StatefulSet set, V1StatefulSetStatus status) =>
        (set.Spec.MinReadySeconds ?? 0) > 0 && status.AvailableReplicas != (set.Spec.Replicas ?? 1)
            ? TimeSpan.FromSeconds(set.Spec.MinReadySeconds!.Value) : null;
}
