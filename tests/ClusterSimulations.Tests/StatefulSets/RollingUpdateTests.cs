using HipaaMongo.ClusterSimulations.Pods;
using HipaaMongo.ClusterSimulations.StatefulSets;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.StatefulSets;

/// <summary>
/// Update strategies pass by pass (updateStatefulSetAfterInvariantEstablished, processReplica, processCondemned;
/// kubernetes stateful_set_control.go 1.35).
/// </summary>
public sealed class RollingUpdateTests
{
    private static MiniCluster Settled(int replicas, V1StatefulSetUpdateStrategy strategy, string policy = "OrderedReady")
    {
        using var c = new MiniCluster(MiniCluster.NewSet(replicas, policy));
        c.Set.Spec.UpdateStrategy = strategy;
        c.Settle();
        c.Set.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.5";
        c.Set.Metadata.Generation = 2;
        return c;
    }

    private static V1StatefulSetUpdateStrategy Rolling(int partition = 0, IntOrString? maxUnavailable = null) => new()
    {
        Type = "RollingUpdate",
        RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = partition, MaxUnavailable = maxUnavailable },
    };

    private static string[] Deletions(StatefulSetPlan plan) => [.. plan.Actions.OfType<DeletePod>().Select(d => d.Name)];

    [Fact]
    public void MaxUnavailable_2_replaces_two_pods_at_a_time_highest_ordinals_first()
    {
        var c = Settled(5, Rolling(maxUnavailable: 2), "Parallel");
        Assert.Equal(["rs0-4", "rs0-3"], Deletions(c.Step()));
        var recreate = c.Step();
        Assert.Equal(2, recreate.Actions.OfType<CreatePod>().Count());
        Assert.Empty(Deletions(recreate)); // the two new pods are unavailable: no room for more
        c.StartAll();
        Assert.Equal(["rs0-2", "rs0-1"], Deletions(c.Step()));
    }

    [Fact]
    public void An_unavailable_pod_below_the_partition_counts_against_maxUnavailable()
    {
        var c = Settled(3, Rolling(partition: 1), "Parallel");
        c.Pods["rs0-0"].Status = PodRuntime.WithReadiness(c.Pods["rs0-0"], ready: false, c.Now);
        Assert.Empty(Deletions(c.Step())); // one unavailable already = maxUnavailable 1
        c.Pods["rs0-0"].Status = PodRuntime.WithReadiness(c.Pods["rs0-0"], ready: true, c.Now);
        Assert.Equal(["rs0-2"], Deletions(c.Step()));
    }

    [Fact]
    public void MinReadySeconds_holds_the_next_replacement_until_the_new_pod_has_been_Ready_that_long()
    {
        var c = Settled(2, Rolling());
        c.Set.Spec.MinReadySeconds = 30;
        Assert.Empty(c.Step().Actions); // Ready since Now: not yet available
        c.Now = c.Now.AddMinutes(1);
        Assert.Equal(["rs0-1"], Deletions(c.Step()));
        c.Step();
        c.StartAll(); // Ready at Now
        var waiting = c.Step();
        Assert.Empty(waiting.Actions);
        Assert.Equal((2, 1), (waiting.Status.ReadyReplicas ?? 0, waiting.Status.AvailableReplicas ?? 0));
        Assert.Equal(TimeSpan.FromSeconds(30), waiting.RecheckAfter);
        c.Now = c.Now.AddSeconds(31);
        Assert.Equal(["rs0-0"], Deletions(c.Step()));
    }

    [Fact]
    public void OnDelete_replaces_a_pod_only_when_it_is_deleted_and_then_at_the_update_revision()
    {
        var c = Settled(3, new V1StatefulSetUpdateStrategy { Type = "OnDelete" });
        var oldRevision = c.Set.Status!.CurrentRevision;
        c.Settle();
        Assert.Empty(c.Deleted);
        Assert.All(c.Pods.Values, p => Assert.Equal("mongo:8.0.4", p.Spec.Containers[0].Image));
        Assert.Equal((0, 3), (c.Set.Status.UpdatedReplicas ?? 0, c.Set.Status.CurrentReplicas ?? 0));

        c.DeletePod("rs0-1"); // the operator replaces a member
        c.Settle();
        Assert.Equal("mongo:8.0.5", c.Pods["rs0-1"].Spec.Containers[0].Image);
        Assert.Equal(c.Set.Status.UpdateRevision, PodState.Revision(c.Pods["rs0-1"]));
        Assert.Equal((1, 2), (c.Set.Status.UpdatedReplicas ?? 0, c.Set.Status.CurrentReplicas ?? 0));

        c.DeletePod("rs0-0");
        c.DeletePod("rs0-2");
        c.Settle();
        Assert.All(c.Pods.Values, p => Assert.Equal("mongo:8.0.5", p.Spec.Containers[0].Image));
        // completeRollingUpdate applies to RollingUpdate only: under OnDelete currentRevision stays where it was.
        Assert.Equal((3, oldRevision), (c.Set.Status.UpdatedReplicas ?? 0, c.Set.Status.CurrentRevision));
    }

    [Fact]
    public void OrderedReady_scale_down_waits_for_an_unhealthy_pod_unless_it_is_the_first_unavailable_one()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(3));
        c.Settle();
        c.Set.Spec.Replicas = 1;
        c.Pods["rs0-1"].Status = PodRuntime.WithReadiness(c.Pods["rs0-1"], ready: false, c.Now);
        // rs0-2 is healthy and rs0-1 (lower) is the first unavailable: rs0-2 goes first, as always highest first.
        Assert.Equal(["rs0-2"], Deletions(c.Step()));
        // rs0-1 is the first unavailable pod: it may be removed although it is not Ready.
        Assert.Equal(["rs0-1"], Deletions(c.Step()));
    }

    [Fact]
    public void Parallel_scale_down_deletes_every_condemned_pod_in_one_pass()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(4, "Parallel"));
        c.Settle();
        c.Set.Spec.Replicas = 1;
        Assert.Equal(["rs0-3", "rs0-2", "rs0-1"], Deletions(c.Step()));
    }

    // What an operator that replaces members itself (OnDelete) must know: under OrderedReady a pod it deletes is
    // not made again while a lower ordinal is not Ready (processReplica stops at the first such pod), so one
    // lagging member would keep a second one down; Parallel makes it again at once.
    [Theory]
    [InlineData("OrderedReady", false)]
    [InlineData("Parallel", true)]
    public void A_deleted_pod_waits_for_a_lower_unready_ordinal_only_under_OrderedReady(string policy, bool recreated)
    {
        var c = Settled(3, new V1StatefulSetUpdateStrategy { Type = "OnDelete" }, policy);
        c.Pods["rs0-0"].Status = PodRuntime.WithReadiness(c.Pods["rs0-0"], ready: false, c.Now);
        c.DeletePod("rs0-2");
        var pass = c.Step();
        Assert.Equal(recreated, pass.Actions.OfType<CreatePod>().Any(p => p.Pod.Metadata.Name == "rs0-2"));
    }
}
