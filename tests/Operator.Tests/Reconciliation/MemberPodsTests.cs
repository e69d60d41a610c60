using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Verification;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

public sealed class MemberPodsTests
{
    [Fact]
    public void Ready_pods_become_targets_in_ordinal_order_with_their_service_dns_names()
    {
        var pods = MemberPods.From("clinical", "phi-db", 3, [Pod(2), Pod(0), Pod(1), Pod(0, instance: "other-db")]);

        Assert.True(pods.AllReady);
        Assert.Equal(["phi-db-0", "phi-db-1", "phi-db-2"], pods.Targets.Select(t => t.PodName));
        var first = pods.Targets[0];
        Assert.Equal("10.0.0.1", first.Host);
        Assert.Equal(27017, first.Port);
        // Kubernetes DNS for a pod with hostname and subdomain: <hostname>.<subdomain>.<namespace>.svc.cluster.local
        Assert.Equal("phi-db-0.phi-db-hs.clinical.svc.cluster.local", first.ExpectedDnsName);
        Assert.Equal("phi-db-0.phi-db-hs.clinical.svc.cluster.local:27017", first.AdvertisedHost);
    }

    [Fact]
    public void A_missing_or_unready_pod_means_not_all_ready()
    {
        Assert.False(MemberPods.From("clinical", "phi-db", 3, [Pod(0), Pod(1)]).AllReady);
        var unready = MemberPods.From("clinical", "phi-db", 3, [Pod(0), Pod(1), Pod(2, ready: false)]);
        Assert.False(unready.AllReady);
        Assert.Equal(2, unready.ReadyCount);
    }

    // Readiness follows the member's replica-set state, so before replSetInitiate no pod is Ready: bootstrap initiates
    // every pod that runs, Ready or not, and waits for all to run; verification still reads the Ready ones.
    [Fact]
    public void Running_pods_are_bootstrap_targets_whether_ready_or_not_and_pending_or_terminating_ones_are_not()
    {
        var terminating = Pod(1, ready: false);
        terminating.Metadata.DeletionTimestamp = DateTime.UtcNow;
        var pods = MemberPods.From("clinical", "phi-db", 3, [Pod(0, ready: false), terminating, Pod(2, ready: false, phase: "Pending")]);
        var running = MemberPods.From("clinical", "phi-db", 3, [Pod(0, ready: false), Pod(1, ready: false), Pod(2)]);

        Assert.Equal(["phi-db-0"], pods.Running.Select(t => t.PodName));
        Assert.False(pods.AllRunning);
        Assert.Equal(["phi-db-0", "phi-db-1", "phi-db-2"], running.Running.Select(t => t.PodName));
        Assert.True(running.AllRunning);
        Assert.Equal(["phi-db-2"], running.Targets.Select(t => t.PodName));
        Assert.False(running.AllReady);
    }

    [Fact]
    public void The_signature_changes_with_the_pod_set()
    {
        var before = MemberPods.From("clinical", "phi-db", 3, [Pod(0), Pod(1), Pod(2)]).Signature;
        var restarted = MemberPods.From("clinical", "phi-db", 3, [Pod(0), Pod(1), Pod(2, uid: "new")]).Signature;
        Assert.NotEqual(before, restarted);
        Assert.Equal(before, MemberPods.From("clinical", "phi-db", 3, [Pod(2), Pod(1), Pod(0)]).Signature);
    }

    [Fact]
    public void A_pod_event_maps_to_its_resource_only_with_the_selector_labels()
    {
        Assert.Equal([new("clinical", "phi-db")], MemberPods.Owner(Pod(0)));
        var unrelated = Pod(0);
        unrelated.Metadata.Labels.Remove(Labels.ComponentKey);
        Assert.Empty(MemberPods.Owner(unrelated));
    }

    private static V1Pod Pod(int ordinal, bool ready = true, string instance = "phi-db", string? uid = null, string phase = "Running") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"{instance}-{ordinal}",
            NamespaceProperty = "clinical",
            Uid = uid ?? $"uid-{instance}-{ordinal}",
            Labels = Labels.Selector(instance),
        },
        Spec = new V1PodSpec { Hostname = $"{instance}-{ordinal}", Subdomain = $"{instance}-hs", Containers = [] },
        Status = new V1PodStatus
        {
            Phase = phase,
            PodIP = $"10.0.0.{ordinal + 1}",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };
}
