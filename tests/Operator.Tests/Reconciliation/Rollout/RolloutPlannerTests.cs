using HipaaMongo.Operator.Reconciliation.Rollout;

namespace HipaaMongo.Operator.Tests.Reconciliation.Rollout;

/// <summary>
/// The rollout planner: examples of each rule, an exhaustive check over every small state of 3 members (no action of
/// the operator ever takes down a second voting member, never deletes the primary, never restarts an updated member,
/// never acts while a pod is being replaced), and whole rollouts of 3 and 5 members against a small model of pods and
/// members that come back slowly.
/// </summary>
public class RolloutPlannerTests
{
    private const string Old = "phi-db-old";
    private const string New = "phi-db-new";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    private static string Host(int i) => $"phi-db-{i}.phi-db-hl.clinical.svc.cluster.local:27017";

    private static RolloutPod Pod(int i, string revision = Old, bool ready = true, bool terminating = false, TimeSpan? age = null, string? failure = null) =>
        new(i, $"phi-db-{i}", Host(i), $"uid-{i}", revision, terminating, ready, Now - (age ?? TimeSpan.FromMinutes(1)), failure);

    private static ObservedMember Member(int i, string state = "SECONDARY", long optime = 100, bool healthy = true, DateTimeOffset? heard = null) =>
        new(Host(i), state, healthy, optime, 1, heard ?? Now);

    private static RolloutObservation Observe(RolloutPod[] pods, ObservedMember[] status, bool caughtUp = true) =>
        new(New, caughtUp, pods.Length == 0 ? 3 : Math.Max(3, pods.Max(p => p.Ordinal) + 1), pods,
            [.. Enumerable.Range(0, Math.Max(3, status.Length)).Select(i => new ConfigMember(i, Host(i), 1, 1))], status, 10, Bound, Now);

    private static ObservedMember[] Serving(int members = 3, int primary = 0) =>
        [.. Enumerable.Range(0, members).Select(i => Member(i, i == primary ? "PRIMARY" : "SECONDARY"))];

    [Fact]
    public void The_highest_outdated_secondary_goes_first()
    {
        var action = Assert.IsType<RolloutAction.DeletePod>(RolloutPlanner.Next(Observe([Pod(0), Pod(1), Pod(2)], Serving())));
        Assert.Equal("phi-db-2", action.Pod.Name);
        Assert.Equal("uid-2", action.Pod.Uid);
    }

    [Theory]
    [InlineData("STARTUP2", 0L)]
    [InlineData("RECOVERING", 100L)]
    [InlineData("SECONDARY", 50L)] // 50 s behind, bound 10 s
    public void The_next_member_waits_until_the_previous_is_a_caught_up_secondary(string state, long optime)
    {
        var o = Observe([Pod(0), Pod(1), Pod(2, New)], [Member(0, "PRIMARY"), Member(1), Member(2, state, optime)]);
        var action = Assert.IsType<RolloutAction.Wait>(RolloutPlanner.Next(o));
        Assert.Contains("phi-db-2", action.Why, StringComparison.Ordinal);
        Assert.Equal("phi-db-2", RolloutPlanner.Progress(o).InFlight);
    }

    [Fact]
    public void The_primary_steps_down_when_it_is_the_last_outdated_member_and_then_goes_as_a_secondary()
    {
        var last = RolloutPlanner.Next(Observe([Pod(0), Pod(1, New), Pod(2, New)], Serving()));
        Assert.Equal(Host(0), Assert.IsType<RolloutAction.StepDown>(last).Primary);
        var after = RolloutPlanner.Next(Observe([Pod(0), Pod(1, New), Pod(2, New)], Serving(primary: 2)));
        Assert.Equal("phi-db-0", Assert.IsType<RolloutAction.DeletePod>(after).Pod.Name);
    }

    [Fact]
    public void Every_member_at_the_update_revision_and_serving_is_steady()
    {
        var o = Observe([Pod(0, New), Pod(1, New), Pod(2, New)], Serving(primary: 1));
        Assert.IsType<RolloutAction.Steady>(RolloutPlanner.Next(o));
        Assert.Equal(new RolloutProgress(New, 3, 3, null), RolloutPlanner.Progress(o));
    }

    [Fact]
    public void A_pod_deleted_by_someone_else_is_waited_for_and_nothing_else_is_touched()
    {
        Assert.IsType<RolloutAction.Wait>(RolloutPlanner.Next(Observe([Pod(0), Pod(1, terminating: true), Pod(2)], Serving())));
        var missing = Assert.IsType<RolloutAction.Wait>(RolloutPlanner.Next(Observe([Pod(0), Pod(2)], Serving())));
        Assert.Contains("ordinal 1", missing.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_happens_before_the_StatefulSet_controller_observed_the_template_or_without_a_primary()
    {
        Assert.IsType<RolloutAction.Wait>(RolloutPlanner.Next(Observe([Pod(0), Pod(1), Pod(2)], Serving(), caughtUp: false)));
        Assert.IsType<RolloutAction.Wait>(RolloutPlanner.Next(Observe([Pod(0), Pod(1), Pod(2)], [Member(0), Member(1), Member(2)])));
    }

    [Fact]
    public void A_restarted_member_unhealthy_beyond_the_bound_halts_with_its_own_reason()
    {
        var broken = Pod(2, New, ready: false, age: TimeSpan.FromMinutes(6), failure: "mongod exited with code 1 (Error): Unrecognized option: net.foo");
        var o = Observe([Pod(0), Pod(1), broken], [Member(0, "PRIMARY"), Member(1), Member(2, "(not reachable/healthy)", 0, healthy: false)]);
        var halt = Assert.IsType<RolloutAction.Halt>(RolloutPlanner.Next(o));
        Assert.Equal("phi-db-2", halt.Pod);
        Assert.Contains("Unrecognized option: net.foo", halt.Why, StringComparison.Ordinal);
        // Within the bound it is only waited for.
        Assert.IsType<RolloutAction.Wait>(RolloutPlanner.Next(o with { Pods = [Pod(0), Pod(1), broken with { Started = Now }] }));
    }

    [Fact]
    public void A_spec_fix_resumes_by_replacing_the_member_that_is_down_at_the_broken_revision()
    {
        // The spec was fixed: the broken revision is no longer the update revision, and its pod serves nothing.
        var broken = Pod(2, "phi-db-broken", ready: false, age: TimeSpan.FromMinutes(6), failure: "CrashLoopBackOff");
        var o = Observe([Pod(0), Pod(1), broken], [Member(0, "PRIMARY"), Member(1), Member(2, "(not reachable/healthy)", 0, healthy: false)]);
        Assert.Equal("phi-db-2", Assert.IsType<RolloutAction.DeletePod>(RolloutPlanner.Next(o)).Pod.Name);
    }

    // The primary learns of a member by heartbeat: right after a restart its row can still show the old process as a
    // healthy, caught-up SECONDARY. Only a heartbeat later than the new process's start (plus the clock skew) counts.
    [Fact]
    public void A_restarted_member_still_shown_healthy_by_a_heartbeat_from_before_its_restart_is_waited_for()
    {
        var restarted = Pod(2, New, age: TimeSpan.FromSeconds(1));
        var stale = Member(2, heard: Now - TimeSpan.FromSeconds(3));
        var o = Observe([Pod(0), Pod(1), restarted], [Member(0, "PRIMARY"), Member(1), stale]) with { ClockSkew = TimeSpan.FromSeconds(2) };
        var wait = Assert.IsType<RolloutAction.Wait>(RolloutPlanner.Next(o));
        Assert.Contains("has not heard from its new process", wait.Why, StringComparison.Ordinal);
        // Heard 1 s after the start, within the 2 s skew: still not proof.
        Assert.IsType<RolloutAction.Wait>(RolloutPlanner.Next(o with { Status = [Member(0, "PRIMARY"), Member(1), Member(2, heard: Now)] }));
        var heard = o with { Pods = [Pod(0), Pod(1), restarted with { Started = Now - TimeSpan.FromSeconds(5) }], Status = [Member(0, "PRIMARY"), Member(1), Member(2, heard: Now)] };
        Assert.Equal("phi-db-1", Assert.IsType<RolloutAction.DeletePod>(RolloutPlanner.Next(heard)).Pod.Name);
    }

    [Fact]
    public void An_outdated_member_recovering_on_its_own_is_waited_for()
    {
        var o = Observe([Pod(0), Pod(1), Pod(2)], [Member(0, "PRIMARY"), Member(1), Member(2, "RECOVERING")]);
        Assert.IsType<RolloutAction.Wait>(RolloutPlanner.Next(o));
    }

    private static readonly string[] States = ["PRIMARY", "SECONDARY", "RECOVERING", "DOWN"];
    private enum PodKind { Ready, NotReady, Terminating, Missing }

    // Every state of 3 members: revision x pod x member state x lag, and young or old pods.
    [Fact]
    public void Exhaustively_no_action_takes_down_a_second_voter_deletes_the_primary_or_restarts_an_updated_member()
    {
        var each = (from rev in new[] { Old, New }
                    from kind in Enum.GetValues<PodKind>()
                    from state in States
                    from optime in new long[] { 100, 50 }
                    from stale in new[] { false, true } // the primary last heard from the member before its process started
                    select (rev, kind, state, optime, stale)).ToList();
        var checkedStates = 0;
        foreach (var age in new[] { TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10) })
            foreach (var a in each)
                foreach (var b in each)
                    foreach (var c in each)
                    {
                        (string rev, PodKind kind, string state, long optime, bool stale)[] m = [a, b, c];
                        if (m.Count(x => x.state == "PRIMARY") > 1) continue;
                        var pods = m.Select((x, i) => (x, i)).Where(t => t.x.kind != PodKind.Missing)
                            .Select(t => Pod(t.i, t.x.rev, ready: t.x.kind == PodKind.Ready, terminating: t.x.kind == PodKind.Terminating, age: age)).ToArray();
                        var status = m.Select((x, i) => Member(i, x.state == "DOWN" ? "(not reachable/healthy)" : x.state,
                            x.state == "PRIMARY" ? 100 : x.optime, healthy: x.state != "DOWN", heard: x.stale ? Now - age - TimeSpan.FromSeconds(1) : Now)).ToArray();
                        var o = new RolloutObservation(New, true, 3, pods, [.. Enumerable.Range(0, 3).Select(i => new ConfigMember(i, Host(i), 1, 1))],
                            status, 10, Bound, Now);
                        Check(o, m.Select(x => x.kind).ToArray(), RolloutPlanner.Next(o));
                        checkedStates++;
                    }
        Assert.True(checkedStates > 3_000_000, $"{checkedStates} states");
    }

    private static void Check(RolloutObservation o, PodKind[] kinds, RolloutAction action)
    {
        // A row last heard before the pod's process started says nothing about that process: it may be down.
        var serving = o.Status.Select((m, i) => m.Serving && o.Status.Where(p => p.IsPrimary).All(p => p.OptimeSeconds - m.OptimeSeconds <= 10)
            && (m.IsPrimary || o.Pods.FirstOrDefault(p => p.Ordinal == i) is not { Started: { } started } || m.HeardAt > started)).ToArray();
        var down = serving.Count(s => !s);
        if (kinds.Any(k => k is PodKind.Terminating or PodKind.Missing))
        {
            Assert.True(action is RolloutAction.Wait or RolloutAction.Halt, $"acted while a pod was being replaced: {action}");
        }
        switch (action)
        {
            case RolloutAction.DeletePod d:
                Assert.NotEqual(New, d.Pod.Revision); // never a member twice
                Assert.False(o.Status[d.Pod.Ordinal].IsPrimary, "deleted the primary's pod");
                // After the deletion at most one voting member is down, and it is this one (unless it was already down).
                var after = down + (serving[d.Pod.Ordinal] ? 1 : 0);
                Assert.True(after <= 1, $"{action.Reason}: {after} voting members down after it");
                break;
            case RolloutAction.StepDown:
                Assert.Equal(0, down);
                Assert.All(o.Pods.Where(p => !o.Status[p.Ordinal].IsPrimary), p => Assert.Equal(New, p.Revision));
                break;
        }
    }

    // Whole rollouts against a model: a deleted pod is terminating for a tick, missing for a tick, then comes back
    // at the update revision in STARTUP2, RECOVERING, then SECONDARY behind, then caught up. A stepped-down primary
    // leaves no primary for one tick. After every action and tick: at most one voter down; each pod deleted once,
    // the original primary last.
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void A_whole_rollout_restarts_each_member_once_and_the_primary_last(int members)
    {
        var model = new Model(members, primary: 1);
        var deleted = new List<string>();
        for (var tick = 0; tick < 200; tick++)
        {
            var action = RolloutPlanner.Next(model.Observe());
            if (action is RolloutAction.Steady) break;
            Assert.IsNotType<RolloutAction.Halt>(action);
            if (action is RolloutAction.DeletePod d)
            {
                deleted.Add(d.Pod.Name);
            }
            model.Apply(action);
            Assert.True(model.VotersDown() <= 1, $"tick {tick}: {model.VotersDown()} voters down");
            model.Tick();
            Assert.True(model.VotersDown() <= 1, $"tick {tick}: {model.VotersDown()} voters down after the tick");
        }
        Assert.IsType<RolloutAction.Steady>(RolloutPlanner.Next(model.Observe()));
        Assert.Equal(members, deleted.Distinct().Count());
        Assert.Equal(members, deleted.Count);
        Assert.Equal("phi-db-1", deleted[^1]);
    }

    private sealed class Model(int members, int primary)
    {
        // Phase per member: 0 running old; 1 terminating; 2 missing; 3 new pod started, the primary still shows the old
        // process (a stale row); 4 STARTUP2; 5 RECOVERING; 6 SECONDARY behind; 7 running new, caught up.
        private readonly int[] _phase = new int[members];
        private readonly DateTimeOffset[] _started = [.. Enumerable.Repeat(Now - TimeSpan.FromHours(1), members)];
        private readonly DateTimeOffset[] _heard = [.. Enumerable.Repeat(Now, members)];
        private readonly string[] _state = [.. Enumerable.Range(0, members).Select(i => i == primary ? "PRIMARY" : "SECONDARY")];
        private DateTimeOffset _now = Now;
        private int _electIn = -1;

        public RolloutObservation Observe()
        {
            var pods = Enumerable.Range(0, members).Where(i => _phase[i] != 2)
                .Select(i => new RolloutPod(i, $"phi-db-{i}", Host(i), $"uid-{i}", _phase[i] is 0 or 1 ? Old : New, _phase[i] == 1,
                    _phase[i] is 0 or 3 or >= 5, _started[i], null)).ToArray();
            var status = Enumerable.Range(0, members).Select(i => _phase[i] switch
            {
                // Until a heartbeat fails or reaches the new process, the primary's row is the old process's.
                1 or 2 or 3 => new ObservedMember(Host(i), _state[i], true, 100, 1, _heard[i]),
                4 => new ObservedMember(Host(i), "STARTUP2", true, 0, 1, _now),
                5 => new ObservedMember(Host(i), "RECOVERING", true, 90, 1, _now),
                6 => new ObservedMember(Host(i), "SECONDARY", true, 50, 1, _now),
                _ => new ObservedMember(Host(i), _state[i], true, 100, 1, _state[i] == "PRIMARY" ? null : _now),
            }).ToArray();
            return new RolloutObservation(New, true, members, pods,
                [.. Enumerable.Range(0, members).Select(i => new ConfigMember(i, Host(i), 1, 1))], status, 10, Bound, _now, TimeSpan.FromSeconds(2));
        }

        public void Apply(RolloutAction action)
        {
            switch (action)
            {
                case RolloutAction.DeletePod d:
                    Assert.Equal(0, _phase[d.Pod.Ordinal]);
                    Assert.NotEqual("PRIMARY", _state[d.Pod.Ordinal]);
                    _phase[d.Pod.Ordinal] = 1;
                    _heard[d.Pod.Ordinal] = _now; // the last heartbeat from the old process
                    break;
                case RolloutAction.StepDown s:
                    var i = Array.FindIndex(_state, x => x == "PRIMARY");
                    Assert.Equal(Host(i), s.Primary);
                    _state[i] = "SECONDARY";
                    _electIn = 1;
                    break;
            }
        }

        public void Tick()
        {
            _now += TimeSpan.FromSeconds(1);
            for (var i = 0; i < members; i++)
            {
                if (_phase[i] is > 0 and < 7) _phase[i]++;
                if (_phase[i] == 3) _started[i] = _now;
            }
            if (_electIn >= 0 && _electIn-- == 0)
            {
                // The highest caught-up updated secondary wins.
                var winner = Enumerable.Range(0, members).Where(i => _phase[i] == 7).Max();
                _state[winner] = "PRIMARY";
            }
        }

        public int VotersDown() => Enumerable.Range(0, members).Count(i => _phase[i] is >= 1 and <= 6);
    }
}
