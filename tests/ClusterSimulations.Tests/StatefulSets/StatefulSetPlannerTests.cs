using HipaaMongo.ClusterSimulations.StatefulSets;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.StatefulSets;

public sealed class StatefulSetPlannerTests
{
    [Fact]
    public void OrderedReady_creates_one_pod_at_a_time_and_waits_for_it_to_be_Ready()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(3));
        var first = c.Step();
        Assert.Equal(["CreateClaim data-rs0-0", "CreatePod rs0-0"], first.Actions.Select(Describe));
        Assert.Empty(c.Step().Actions); // rs0-0 exists but is not Ready: wait

        c.StartAll();
        Assert.Equal(["CreateClaim data-rs0-1", "CreatePod rs0-1"], c.Step().Actions.Select(Describe));
        c.StartAll();
        Assert.Equal(["CreateClaim data-rs0-2", "CreatePod rs0-2"], c.Step().Actions.Select(Describe));
        c.StartAll();
        var done = c.Step();
        Assert.Empty(done.Actions);
        Assert.Equal((3, 3, 1L), (done.Status.Replicas, done.Status.ReadyReplicas ?? 0, done.Status.ObservedGeneration ?? 0));
        Assert.Equal(done.Status.UpdateRevision, done.Status.CurrentRevision);
        Assert.Equal(["data-rs0-0", "data-rs0-1", "data-rs0-2"], c.Claims.Keys.Order());
    }

    [Fact]
    public void Parallel_creates_every_pod_at_once()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(3, "Parallel"));
        Assert.Equal(3, c.Step().Actions.OfType<CreatePod>().Count());
    }

    [Fact]
    public void Pods_and_claims_carry_the_names_labels_owners_and_volumes_the_real_controller_writes()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(1));
        c.Settle();
        var pod = c.Pods["rs0-0"];
        var owner = pod.Metadata.OwnerReferences.Single();
        Assert.Equal(("apps/v1", "StatefulSet", "rs0", "set-uid", true, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("rs0-0", pod.Metadata.Labels["statefulset.kubernetes.io/pod-name"]);
        Assert.Equal("0", pod.Metadata.Labels["apps.kubernetes.io/pod-index"]);
        Assert.Equal(c.Set.Status!.UpdateRevision, pod.Metadata.Labels["controller-revision-hash"]);
        Assert.StartsWith("rs0-", c.Set.Status.UpdateRevision);
        Assert.Equal(("rs0-0", "rs0-hs"), (pod.Spec.Hostname, pod.Spec.Subdomain));
        Assert.Equal("data-rs0-0", pod.Spec.Volumes.Single(v => v.Name == "data").PersistentVolumeClaim.ClaimName);
        var claim = c.Claims["data-rs0-0"];
        Assert.Null(claim.Metadata.OwnerReferences); // default retention policy Retain: no owner
        Assert.Equal("rs0", claim.Metadata.Labels["app"]);
        Assert.Equal("Filesystem", claim.Spec.VolumeMode);
        Assert.StartsWith("127.", pod.Status.PodIP);
        Assert.NotEqual("127.0.0.1", pod.Status.PodIP);
        Assert.All(new[] { "Initialized", "Ready", "ContainersReady", "PodScheduled" },
            t => Assert.Equal("True", pod.Status.Conditions.Single(x => x.Type == t).Status));
    }

    [Fact]
    public void A_template_change_replaces_pods_one_at_a_time_in_reverse_ordinal_order()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(3));
        c.Settle();
        var oldRevision = c.Set.Status!.CurrentRevision;
        c.Set.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.5";
        c.Set.Metadata.Generation = 2;

        var passes = new List<StatefulSetPlan>();
        for (var i = 0; i < 30 && (passes.Count == 0 || passes[^1].Actions.Count > 0); i++)
        {
            passes.Add(c.Step());
            Assert.True(passes[^1].Actions.OfType<DeletePod>().Count() <= 1);
            if (passes[^1].Actions.Count > 0 && passes.Count > 1 && passes[^1].Actions[0] is CreatePod)
            {
                // Mid-update the set still reports the old revision as current.
                Assert.Equal(oldRevision, passes[^1].Status.CurrentRevision);
            }
            c.StartAll();
        }
        Assert.Equal(["rs0-2", "rs0-1", "rs0-0"], c.Deleted);
        var final = passes[^1].Status;
        Assert.NotEqual(oldRevision, final.UpdateRevision);
        Assert.Equal((final.UpdateRevision, 3, 3), (final.CurrentRevision, final.UpdatedReplicas ?? 0, final.CurrentReplicas ?? 0));
        Assert.All(c.Pods.Values, p => Assert.Equal("mongo:8.0.5", p.Spec.Containers[0].Image));
        Assert.Equal(3, c.Claims.Count); // claims survive their pods
    }

    // The operator renders updateStrategy {type: RollingUpdate} with no rollingUpdate, which the API server leaves
    // so (SetDefaults_StatefulSet fills rollingUpdate only when type is empty). newVersionedStatefulSetPod then makes
    // ordinals below status.currentReplicas at the current revision, so a pass that deletes a pod for the update must
    // lower currentReplicas (updateStatefulSet: status.CurrentReplicas--), or the pod comes back at the old template
    // and is deleted again, forever.
    [Fact]
    public void A_rolling_update_without_rollingUpdate_replaces_each_pod_once_with_the_new_template()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(3));
        c.Set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate" };
        c.Settle();
        c.Set.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.5";
        c.Set.Metadata.Generation = 2;
        c.Settle();

        Assert.Equal(["rs0-2", "rs0-1", "rs0-0"], c.Deleted);
        Assert.All(c.Pods.Values, p => Assert.Equal("mongo:8.0.5", p.Spec.Containers[0].Image));
        var status = c.Set.Status!;
        Assert.Equal((3, 3, status.UpdateRevision), (status.UpdatedReplicas ?? 0, status.CurrentReplicas ?? 0, status.CurrentRevision));
    }

    [Fact]
    public void A_rolling_update_waits_while_the_replaced_pod_is_not_Ready()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(3));
        c.Settle();
        c.Set.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.5";
        Assert.Equal("DeletePod rs0-2", Describe(c.Step().Actions.Single()));
        Assert.Equal("CreatePod rs0-2", Describe(c.Step().Actions.Single()));
        Assert.Empty(c.Step().Actions); // rs0-2 not Ready yet: rs0-1 is not touched
    }

    [Fact]
    public void Partition_updates_only_ordinals_at_or_above_it_and_OnDelete_updates_none()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(3));
        c.Settle();
        c.Set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 2 },
        };
        c.Set.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.5";
        c.Settle();
        Assert.Equal(["rs0-2"], c.Deleted);

        using var d = new MiniCluster(MiniCluster.NewSet(2));
        d.Settle();
        d.Set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" };
        d.Set.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.5";
        d.Settle();
        Assert.Empty(d.Deleted);
        Assert.Equal(0, d.Set.Status!.UpdatedReplicas);
    }

    [Fact]
    public void Scale_down_removes_the_highest_ordinals_first_and_keeps_claims_by_default()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(3));
        c.Settle();
        c.Set.Spec.Replicas = 1;
        c.Settle();
        Assert.Equal(["rs0-2", "rs0-1"], c.Deleted);
        Assert.Equal(["data-rs0-0", "data-rs0-1", "data-rs0-2"], c.Claims.Keys.Order());

        // The retention policy acts on pods the controller scales away, not on claims whose pods are long gone.
        c.Set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenScaled = "Delete", WhenDeleted = "Retain" };
        c.Settle();
        Assert.Equal(["data-rs0-0", "data-rs0-1", "data-rs0-2"], c.Claims.Keys.Order());
    }

    // whenScaled: Delete hands a condemned pod's claim to the pod (a controller reference) before deleting the pod;
    // the garbage collector then deletes the claim with it (updateClaimOwnerRefForSetAndPod, fixPodClaim).
    [Fact]
    public void WhenScaled_Delete_makes_the_condemned_pod_own_its_claim_so_the_claim_goes_with_it()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(3));
        c.Set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenScaled = "Delete", WhenDeleted = "Retain" };
        c.Settle();
        Assert.All(c.Claims.Values, claim => Assert.Null(claim.Metadata.OwnerReferences));
        c.Set.Spec.Replicas = 2;

        var pass = c.Step();
        var owner = Assert.Single(Assert.Single(pass.Actions.OfType<UpdateClaimOwners>()).Owners);
        Assert.Equal(("v1", "Pod", "rs0-2", true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Controller));
        Assert.Equal(["UpdateClaimOwners data-rs0-2", "DeletePod rs0-2"], pass.Actions.Select(Describe));
        Assert.Equal(["data-rs0-0", "data-rs0-1"], c.Claims.Keys.Order());
    }

    [Fact]
    public void A_failed_pod_is_deleted_and_recreated()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(1));
        c.Settle();
        c.Pods["rs0-0"].Status.Phase = "Failed";
        Assert.Equal("DeletePod rs0-0", Describe(c.Step().Actions.Single()));
        Assert.Equal("CreatePod rs0-0", Describe(c.Step().Actions.Single()));
    }

    [Fact]
    public void Pods_of_other_owners_are_ignored()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(1));
        c.Pods["rs0-0"] = new V1Pod { Metadata = new V1ObjectMeta { Name = "rs0-0", OwnerReferences = [new() { Kind = "StatefulSet", Name = "rs0", Uid = "another", Controller = true }] } };
        Assert.Contains(c.Plan().Actions, a => a is CreatePod);
    }

    private static string Describe(StatefulSetAction a) => a switch
    {
        CreateClaim c => "CreateClaim " + c.Claim.Metadata.Name,
        CreatePod p => "CreatePod " + p.Pod.Metadata.Name,
        DeletePod d => "DeletePod " + d.Name,
        UpdateClaimOwners u => "UpdateClaimOwners " + u.Name,
        _ => a.ToString()!,
    };
}
