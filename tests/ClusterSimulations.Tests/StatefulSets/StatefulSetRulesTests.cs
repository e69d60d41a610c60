using HipaaMongo.ClusterSimulations.StatefulSets;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.StatefulSets;

/// <summary>
/// The StatefulSet controller's rules one by one, each row a case of kubernetes pkg/controller/statefulset
/// (stateful_set_utils.go, stateful_set_control.go) as docs/simulations.md cites them.
/// </summary>
public sealed class StatefulSetRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    // newVersionedStatefulSetPod: (type, rollingUpdate block?, partition, status.currentReplicas, ordinals.start, ordinal).
    [Theory]
    [InlineData("RollingUpdate", true, 0, 3, 0, 0, false)] // partition 0: every new pod at the update revision
    [InlineData("RollingUpdate", true, 2, 3, 0, 1, true)] // below the partition: current revision
    [InlineData("RollingUpdate", true, 2, 3, 0, 2, false)]
    [InlineData("RollingUpdate", true, 2, 3, 5, 6, true)] // ordinals.start 5: start + partition = 7
    [InlineData("RollingUpdate", true, 2, 3, 5, 7, false)]
    [InlineData("RollingUpdate", false, 0, 3, 0, 2, true)] // no rollingUpdate: below status.currentReplicas
    [InlineData("RollingUpdate", false, 0, 2, 0, 2, false)] // ... which the deleting pass lowered
    [InlineData("OnDelete", false, 0, 3, 0, 0, false)] // OnDelete: always the update revision
    public void A_new_pod_takes_the_current_revision_only_below_the_partition_or_currentReplicas(string type, bool block, int partition,
        int currentReplicas, int start, int ordinal, bool atCurrent)
    {
        var set = MiniCluster.NewSet(3);
        set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy
        {
            Type = type,
            RollingUpdate = block ? new V1RollingUpdateStatefulSetStrategy { Partition = partition } : null,
        };
        set.Spec.Ordinals = start == 0 ? null : new V1StatefulSetOrdinals { Start = start };
        set.Status = new V1StatefulSetStatus { CurrentReplicas = currentReplicas };
        Assert.Equal(atCurrent, RollingUpdateRules.AtCurrentRevision(set, ordinal));
    }

    // getStatefulSetMaxUnavailable: default 1, percentages of spec.replicas rounded down, never below 1.
    [Theory]
    [InlineData(null, 3, 1)]
    [InlineData("2", 3, 2)]
    [InlineData("50%", 5, 2)]
    [InlineData("10%", 3, 1)]
    [InlineData("100%", 3, 3)]
    public void MaxUnavailable_scales_percentages_down_and_is_at_least_one(string? value, int replicas, int expected)
    {
        var set = MiniCluster.NewSet(replicas);
        set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateStatefulSetStrategy
            {
                Partition = 0,
                MaxUnavailable = value is null ? null : value.EndsWith('%') ? (IntOrString)value : (IntOrString)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        Assert.Equal(expected, RollingUpdateRules.MaxUnavailable(set));
    }

    // computeReplicaStatus, one pod per row: (phase, ready, ready for seconds, terminating, revision) → the counts it
    // adds to (replicas, readyReplicas, availableReplicas, currentReplicas, updatedReplicas) with minReadySeconds 10.
    [Theory]
    [InlineData("Running", true, 60, false, "cur", 1, 1, 1, 1, 0)]
    [InlineData("Running", true, 5, false, "upd", 1, 1, 0, 0, 1)] // Ready for 5 s < minReadySeconds: not available
    [InlineData("Running", false, 0, false, "upd", 1, 0, 0, 0, 1)]
    [InlineData("Pending", false, 0, false, "upd", 1, 0, 0, 0, 1)]
    [InlineData("Running", true, 60, true, "cur", 1, 1, 1, 0, 0)] // terminating: counted, but in no revision
    [InlineData("", false, 0, false, "upd", 0, 0, 0, 0, 0)] // not created yet
    public void Status_counts_follow_computeReplicaStatus(string phase, bool ready, int readyFor, bool terminating, string revision,
        int replicas, int readyReplicas, int available, int current, int updated)
    {
        var set = MiniCluster.NewSet(1);
        set.Spec.MinReadySeconds = 10;
        var pod = StatefulSetObjects.Pod(set, 0, revision);
        pod.Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Now.AddSeconds(-readyFor).UtcDateTime }],
        };
        pod.Metadata.DeletionTimestamp = terminating ? Now.UtcDateTime : null;
        var status = StatefulSetStatusRules.Compute(set, [pod], "cur", "upd", 0, Now);
        Assert.Equal((replicas, readyReplicas, available, current, updated),
            (status.Replicas, status.ReadyReplicas ?? 0, status.AvailableReplicas ?? 0, status.CurrentReplicas ?? 0, status.UpdatedReplicas ?? 0));
        Assert.Equal(("cur", "upd", 1L), (status.CurrentRevision, status.UpdateRevision, status.ObservedGeneration ?? 0));
    }

    // completeRollingUpdate: (type, updated, ready, replicas) with spec.replicas 3 → does currentRevision move?
    [Theory]
    [InlineData("RollingUpdate", 3, 3, 3, true)]
    [InlineData("RollingUpdate", 3, 2, 3, false)]
    [InlineData("RollingUpdate", 3, 3, 4, false)] // a condemned pod still exists
    [InlineData("RollingUpdate", 2, 3, 3, false)]
    [InlineData("OnDelete", 3, 3, 3, false)] // OnDelete never completes: currentRevision stays
    public void CurrentRevision_moves_to_the_update_revision_only_when_a_rolling_update_is_complete(string type, int updated, int ready,
        int replicas, bool moves)
    {
        var set = MiniCluster.NewSet(3);
        set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = type };
        var status = new V1StatefulSetStatus
        {
            Replicas = replicas,
            ReadyReplicas = ready,
            UpdatedReplicas = updated,
            CurrentReplicas = 0,
            CurrentRevision = "old",
            UpdateRevision = "new",
        };
        var done = StatefulSetStatusRules.CompleteRollingUpdate(set, status);
        Assert.Equal(moves ? ("new", updated) : ("old", 0), (done.CurrentRevision, done.CurrentReplicas ?? 0));
    }

    // isClaimOwnerUpToDate / updateClaimOwnerRefForSetAndPod: (whenDeleted, whenScaled, pod in range?) → owners.
    [Theory]
    [InlineData("Retain", "Retain", true, "")]
    [InlineData("Retain", "Retain", false, "")]
    [InlineData("Delete", "Retain", true, "StatefulSet")]
    [InlineData("Delete", "Retain", false, "StatefulSet")]
    [InlineData("Retain", "Delete", true, "")]
    [InlineData("Retain", "Delete", false, "Pod")]
    [InlineData("Delete", "Delete", true, "StatefulSet")]
    [InlineData("Delete", "Delete", false, "Pod")]
    public void Claim_owners_follow_the_retention_policy(string whenDeleted, string whenScaled, bool inRange, string owners)
    {
        var set = MiniCluster.NewSet(inRange ? 3 : 2);
        set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = whenDeleted, WhenScaled = whenScaled };
        var pod = StatefulSetObjects.Pod(set, 2, "rev");
        pod.Metadata.Uid = "pod-uid";
        var claim = StatefulSetObjects.Claims(set, 2).Single();
        var updated = ClaimOwnership.Updated(claim, set, pod) ?? claim.Metadata.OwnerReferences ?? [];
        Assert.Equal(owners, string.Join(',', updated.Select(r => r.Kind)));
        Assert.All(updated, r => Assert.True(r.Controller));
        claim.Metadata.OwnerReferences = updated;
        Assert.True(ClaimOwnership.IsUpToDate(claim, set, pod));
    }

    // PodClaimIsStale: under whenScaled Delete a claim still owned by an earlier pod of that name blocks the creation.
    [Fact]
    public void A_claim_still_owned_by_an_earlier_pod_blocks_the_pods_creation_until_it_is_collected()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(1));
        c.Set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Retain", WhenScaled = "Delete" };
        var claim = StatefulSetObjects.Claims(c.Set, 0).Single();
        claim.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = "rs0-0", Uid = "gone", Controller = true }];
        c.Claims[claim.Metadata.Name] = claim;
        Assert.Empty(c.Step().Actions);
        c.Claims.Remove(claim.Metadata.Name); // the garbage collector
        Assert.Contains(c.Step().Actions, a => a is CreatePod);
    }

    // createPersistentVolumeClaims: a claim that exists but is being deleted is an error; no pod is created.
    [Fact]
    public void A_claim_being_deleted_keeps_its_pod_from_being_created()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(1));
        var claim = StatefulSetObjects.Claims(c.Set, 0).Single();
        claim.Metadata.DeletionTimestamp = Now.UtcDateTime;
        c.Claims[claim.Metadata.Name] = claim;
        Assert.Empty(c.Step().Actions);
    }

    // getPodsForStatefulSet -> ClaimPods with isMemberOf: a pod of the set's name and an ordinal, with no controller and
    // not being deleted, is adopted (a set re-created after an orphaning delete takes its running pods back).
    [Theory]
    [InlineData("rs0-0", false, false, true)]
    [InlineData("rs0-2", false, false, true)]
    [InlineData("rs0-0", true, false, false)]   // another controller has it
    [InlineData("rs0-0", false, true, false)]   // being deleted
    [InlineData("rs0-x", false, false, false)]  // not one of its ordinals
    [InlineData("rs01-0", false, false, false)] // another set's name
    public void Only_an_orphan_member_pod_is_adopted(string name, bool controlled, bool deleting, bool adopted)
    {
        var set = MiniCluster.NewSet(3);
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                DeletionTimestamp = deleting ? Now.UtcDateTime : null,
                OwnerReferences = controlled ? [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = "other", Uid = "u", Controller = true }] : null,
            },
        };
        Assert.Equal(adopted, StatefulSetObjects.IsOrphanMember(set, pod));
    }
}
