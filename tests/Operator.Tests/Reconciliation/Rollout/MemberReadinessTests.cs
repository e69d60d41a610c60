using HipaaMongo.Operator.Reconciliation.Rollout;

namespace HipaaMongo.Operator.Tests.Reconciliation.Rollout;

/// <summary>
/// The readiness gate's verdict: True only for a PRIMARY, or a SECONDARY that is healthy, within the lag bound and
/// heard from its pod's current process; nothing judged without a primary; only differing conditions written.
/// </summary>
public class MemberReadinessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static string Host(int i) => $"phi-db-{i}.phi-db-hl.clinical.svc.cluster.local:27017";

    private static RolloutPod Pod(int i, bool terminating = false, TimeSpan? age = null) =>
        new(i, $"phi-db-{i}", Host(i), $"uid-{i}", "rev", terminating, true, Now - (age ?? TimeSpan.FromMinutes(1)), null);

    private static ObservedMember Member(int i, string state = "SECONDARY", long optime = 100, bool healthy = true, DateTimeOffset? heard = null) =>
        new(Host(i), state, healthy, optime, 1, heard ?? Now);

    private static RolloutObservation Observe(RolloutPod[] pods, ObservedMember[] status) =>
        new("rev", true, 3, pods, [.. Enumerable.Range(0, 3).Select(i => new ConfigMember(i, Host(i), 1, 1))], status, 10,
            TimeSpan.FromMinutes(15), Now, TimeSpan.FromSeconds(2));

    private static Dictionary<string, bool> Verdicts(RolloutObservation o) => MemberReadiness.Judge(o).ToDictionary(v => v.Pod, v => v.Ready);

    [Fact]
    public void A_primary_and_caught_up_secondaries_are_ready()
    {
        var o = Observe([Pod(0), Pod(1), Pod(2)], [Member(0, "PRIMARY"), Member(1), Member(2, optime: 91)]);
        Assert.Equal(new Dictionary<string, bool> { ["phi-db-0"] = true, ["phi-db-1"] = true, ["phi-db-2"] = true }, Verdicts(o));
        Assert.All(MemberReadiness.Judge(o), v => Assert.Equal(MemberReadiness.ServingReason, v.Reason));
    }

    [Theory]
    [InlineData("STARTUP2", 100L, true)]
    [InlineData("RECOVERING", 100L, true)]
    [InlineData("SECONDARY", 89L, true)] // 11 s behind, bound 10 s
    [InlineData("SECONDARY", 100L, false)] // the primary cannot reach it
    [InlineData("ROLLBACK", 100L, true)]
    public void A_member_not_serving_or_behind_is_not_ready_with_the_reason(string state, long optime, bool healthy)
    {
        var o = Observe([Pod(0), Pod(1), Pod(2)], [Member(0, "PRIMARY"), Member(1), Member(2, state, optime, healthy)]);
        var verdict = MemberReadiness.Judge(o).Single(v => v.Pod == "phi-db-2");
        Assert.False(verdict.Ready);
        Assert.Equal("False", verdict.Status);
        Assert.Equal(MemberReadiness.NotServingReason, verdict.Reason);
        Assert.StartsWith("phi-db-2: ", verdict.Message, StringComparison.Ordinal);
        Assert.True(Verdicts(o)["phi-db-1"]);
    }

    [Fact]
    public void A_restarted_member_is_not_ready_until_the_primary_heard_from_its_new_process()
    {
        // The primary's row still shows the old process as a healthy SECONDARY, last heard before the pod started.
        var pods = new[] { Pod(0), Pod(1), Pod(2, age: TimeSpan.FromSeconds(3)) };
        Assert.False(Verdicts(Observe(pods, [Member(0, "PRIMARY"), Member(1), Member(2, heard: Now - TimeSpan.FromSeconds(4))]))["phi-db-2"]);
        Assert.True(Verdicts(Observe(pods, [Member(0, "PRIMARY"), Member(1), Member(2, heard: Now)]))["phi-db-2"]);
    }

    [Fact]
    public void A_member_missing_from_the_status_is_not_ready()
    {
        var o = Observe([Pod(0), Pod(1), Pod(2)], [Member(0, "PRIMARY"), Member(1)]);
        Assert.False(Verdicts(o)["phi-db-2"]);
    }

    [Fact]
    public void Without_a_primary_nothing_is_judged_and_a_pod_being_deleted_is_left_alone()
    {
        Assert.Empty(MemberReadiness.Judge(Observe([Pod(0), Pod(1), Pod(2)], [Member(0), Member(1), Member(2)])));
        var o = Observe([Pod(0), Pod(1, terminating: true), Pod(2)], [Member(0, "PRIMARY"), Member(1), Member(2)]);
        Assert.Equal(["phi-db-0", "phi-db-2"], MemberReadiness.Judge(o).Select(v => v.Pod));
    }

    [Fact]
    public void Only_verdicts_that_differ_from_the_pods_condition_are_written()
    {
        var o = Observe([Pod(0), Pod(1), Pod(2)], [Member(0, "PRIMARY"), Member(1), Member(2, "STARTUP2")]);
        var current = new Dictionary<string, string?> { ["phi-db-0"] = "True", ["phi-db-1"] = null, ["phi-db-2"] = "True" };
        var changes = MemberReadiness.Changes(MemberReadiness.Judge(o), current);
        Assert.Equal([("phi-db-1", "True"), ("phi-db-2", "False")], changes.Select(c => (c.Pod, c.Status)));
    }
}
