using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Reconciliation.Rollout;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Tests.Compliance;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation.Rollout;

/// <summary>What the rollout reads from the API: revisions, the controller's observedGeneration, the member's reason
/// from the pod status, the gate, and the conditions a rollout writes (kstatus).</summary>
public class RolloutReadingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static V1Pod Pod(int i, string revision, V1ContainerStatus? container = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"phi-db-{i}",
            NamespaceProperty = "clinical",
            Uid = $"u{i}",
            CreationTimestamp = Now.UtcDateTime.AddMinutes(-2),
            Labels = new Dictionary<string, string> { ["controller-revision-hash"] = revision },
        },
        Status = new V1PodStatus
        {
            Conditions = [new V1PodCondition { Type = "Ready", Status = container is null ? "True" : "False" }],
            ContainerStatuses = container is null ? null : [container],
        },
    };

    private static V1StatefulSet Set(string update, long generation = 2, long observed = 2) => new()
    {
        Metadata = new V1ObjectMeta { Name = "phi-db", Generation = generation },
        Status = new V1StatefulSetStatus { UpdateRevision = update, ObservedGeneration = observed },
    };

    private static readonly ScaleObservation Set3 = new(1, [], [], [], 3, 10);

    [Fact]
    public void Pods_carry_their_revision_ordinal_host_and_the_controller_must_have_observed_the_template()
    {
        var o = RolloutReading.Observe(Set("rev-b"), [Pod(0, "rev-a"), Pod(1, "rev-b")], "clinical", "phi-db", 3, Set3, TimeSpan.FromMinutes(5), Now);
        Assert.True(o.ControllerCaughtUp);
        Assert.Equal("rev-b", o.UpdateRevision);
        Assert.Equal(["rev-a", "rev-b"], o.Pods.Select(p => p.Revision));
        Assert.Equal("phi-db-1.phi-db-hs.clinical.svc.cluster.local:27017", o.Pods[1].Host);
        Assert.Equal(Now.AddMinutes(-2), o.Pods[0].Started);
        Assert.False(RolloutReading.Observe(Set("rev-b", generation: 3), [], "clinical", "phi-db", 3, Set3, TimeSpan.Zero, Now).ControllerCaughtUp);
    }

    [Fact]
    public void The_reason_is_the_termination_message_then_the_waiting_reason()
    {
        var crashed = new V1ContainerStatus
        {
            Name = "mongod",
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = "back-off 10s" } },
            LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 2, Reason = "Error", Message = "Unrecognized option: net.foo\n" } },
        };
        Assert.Equal("mongod exited with code 2 (Error): Unrecognized option: net.foo", RolloutReading.Failure(Pod(0, "a", crashed)));
        crashed.LastState = null;
        Assert.Equal("CrashLoopBackOff: back-off 10s", RolloutReading.Failure(Pod(0, "a", crashed)));
    }

    [Fact]
    public void The_set_is_read_only_when_a_pod_is_outdated_or_the_status_says_a_rollout_is_under_way_or_halted()
    {
        Assert.False(RolloutGate.Due(Set("b"), [Pod(0, "b"), Pod(1, "b")], null));
        Assert.True(RolloutGate.Due(Set("b"), [Pod(0, "b"), Pod(1, "a")], null));
        Assert.False(RolloutGate.Due(null, [Pod(0, "a")], null));
        var rolling = new List<V1Condition> { new() { Type = ConditionTypes.Reconciling, Status = "True", Reason = ConditionReasons.RollingUpdate } };
        Assert.True(RolloutGate.Due(Set("b"), [Pod(0, "b")], rolling));
        var halted = new List<V1Condition> { new() { Type = ConditionTypes.Stalled, Status = "True", Reason = ConditionReasons.RolloutHalted } };
        Assert.True(RolloutGate.Due(Set("b"), [Pod(0, "b")], halted));
    }

    [Fact]
    public void A_halted_rollout_is_Stalled_and_not_Reconciling_and_one_under_way_is_Reconciling()
    {
        Assert.Equal(
            (Conditions.True, (string?)null, ConditionReasons.RolloutHalted),
            Plan(new StatusPlanner.RolloutFact("phi-db-2 restarted and is not healthy", Halted: true)));
        Assert.Equal(
            ((string?)null, Conditions.True, ConditionReasons.RollingUpdate),
            Plan(new StatusPlanner.RolloutFact("restart phi-db-2", Halted: false)));
    }

    private static (string? Stalled, string? Reconciling, string? ReadyReason) Plan(StatusPlanner.RolloutFact rollout)
    {
        var resource = new HipaaMongoResource { Metadata = new V1ObjectMeta { Name = "phi-db", NamespaceProperty = "clinical", Generation = 1 } };
        var facts = new StatusPlanner.Facts(MemberPods.From("clinical", "phi-db", 3, []), 3, new VerificationRun(VerificationState.Waiting),
            null, ComplianceEvaluator.Evaluate(Observations.Passing()), [], null, Rollout: rollout);
        var plan = StatusPlanner.Applied(resource, facts, Now.UtcDateTime);
        return (Conditions.Find(plan.Conditions, ConditionTypes.Stalled)?.Status, Conditions.Find(plan.Conditions, ConditionTypes.Reconciling)?.Status,
            Conditions.Find(plan.Conditions, ConditionTypes.Ready)?.Reason);
    }
}
