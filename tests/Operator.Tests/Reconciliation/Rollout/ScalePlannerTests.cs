using HipaaMongo.Operator.Reconciliation.Rollout;

namespace HipaaMongo.Operator.Tests.Reconciliation.Rollout;

public class ScalePlannerTests
{
    private static readonly string[] Hosts = [.. Enumerable.Range(0, 7).Select(i => $"phi-db-{i}.phi-db-hl.clinical.svc.cluster.local:27017")];

    private static ConfigMember Voter(int i) => new(i, Hosts[i], 1, 1);

    private static ObservedMember Seen(int i, string state = "SECONDARY", long optime = 100, int version = 1) =>
        new(Hosts[i], state, Healthy: true, optime, version);

    private static ScaleObservation Observe(int desired, ConfigMember[] config, params ObservedMember[] status) =>
        new(1, config, status, Hosts, desired, LagBoundSeconds: 10);

    private static readonly ConfigMember[] Three = [Voter(0), Voter(1), Voter(2)];

    private static ObservedMember[] ThreeServing(int primary = 0) =>
        [.. Enumerable.Range(0, 3).Select(i => Seen(i, i == primary ? "PRIMARY" : "SECONDARY"))];

    [Fact]
    public void A_new_member_joins_without_a_vote_and_priority_0()
    {
        var action = Assert.IsType<ScaleAction.Reconfig>(ScalePlanner.Next(Observe(5, Three, ThreeServing())));
        Assert.Equal(2, action.Version);
        Assert.Equal(new ConfigMember(3, Hosts[3], 0, 0), action.Members[^1]);
        Assert.Equal(Three, action.Members.Take(3));
    }

    [Theory]
    [InlineData("STARTUP2", 0L)]
    [InlineData("RECOVERING", 100L)]
    [InlineData("SECONDARY", 80L)]
    public void A_member_still_syncing_or_behind_is_not_promoted(string state, long optime)
    {
        ConfigMember[] config = [.. Three, new(3, Hosts[3], 0, 0)];
        var action = ScalePlanner.Next(Observe(5, config, [.. ThreeServing(), Seen(3, state, optime)]));
        Assert.IsType<ScaleAction.Wait>(action);
    }

    [Fact]
    public void A_caught_up_secondary_is_promoted_alone()
    {
        ConfigMember[] config = [.. Three, new(3, Hosts[3], 0, 0), new(4, Hosts[4], 0, 0)];
        var action = Assert.IsType<ScaleAction.Reconfig>(
            ScalePlanner.Next(Observe(5, config, [.. ThreeServing(), Seen(3, optime: 95), Seen(4)])));
        Assert.Equal([1, 1, 1, 1, 0], action.Members.Select(m => m.Votes));
        Assert.Equal(1, action.Members[3].Priority);
    }

    [Fact]
    public void Nothing_changes_until_the_config_is_committed_by_a_majority_of_voters()
    {
        ObservedMember[] status = [Seen(0, "PRIMARY", version: 2), Seen(1, version: 1), Seen(2, version: 1)];
        var o = Observe(5, Three, status) with { ConfigVersion = 2 };
        Assert.IsType<ScaleAction.Wait>(ScalePlanner.Next(o));
    }

    [Fact]
    public void Without_a_primary_nothing_changes() =>
        Assert.IsType<ScaleAction.Wait>(ScalePlanner.Next(Observe(5, Three, Seen(0), Seen(1), Seen(2))));

    [Fact]
    public void The_highest_ordinal_leaves_first_and_the_primary_steps_down_before_it_leaves()
    {
        ConfigMember[] five = [.. Enumerable.Range(0, 5).Select(Voter)];
        var serving = Enumerable.Range(0, 5).Select(i => Seen(i, i == 4 ? "PRIMARY" : "SECONDARY")).ToArray();
        var step = Assert.IsType<ScaleAction.StepDown>(ScalePlanner.Next(Observe(3, five, serving)));
        Assert.Equal(Hosts[4], step.Primary);

        serving = [.. Enumerable.Range(0, 5).Select(i => Seen(i, i == 0 ? "PRIMARY" : "SECONDARY"))];
        var remove = Assert.IsType<ScaleAction.Reconfig>(ScalePlanner.Next(Observe(3, five, serving)));
        Assert.Equal(Hosts[..4], remove.Members.Select(m => m.Host));
    }

    [Fact]
    public void A_removal_that_would_lose_the_majority_waits()
    {
        ConfigMember[] five = [.. Enumerable.Range(0, 5).Select(Voter)];
        // 1 and 2 are down: removing 4 leaves 4 voters of which 2 serve (0 and 3), fewer than 3.
        ObservedMember[] status = [Seen(0, "PRIMARY"), Seen(1) with { Healthy = false }, Seen(2) with { Healthy = false }, Seen(3), Seen(4)];
        Assert.IsType<ScaleAction.Wait>(ScalePlanner.Next(Observe(3, five, status)));
    }

    [Fact]
    public void Pods_stay_until_their_member_left_the_config()
    {
        ConfigMember[] five = [.. Enumerable.Range(0, 5).Select(Voter)];
        Assert.Equal(5, ScalePlanner.PodsToKeep(Observe(3, five)));
        Assert.Equal(4, ScalePlanner.PodsToKeep(Observe(3, five[..4])));
        Assert.Equal(5, ScalePlanner.PodsToKeep(Observe(5, Three)));
    }

    [Fact]
    public void A_steady_set_needs_nothing() =>
        Assert.IsType<ScaleAction.Steady>(ScalePlanner.Next(Observe(3, Three, ThreeServing())));

    /// <summary>
    /// 3 -> 5 -> 7 -> 5 -> 3 against a small model of a replica set that enforces mongod's reconfig rules and
    /// syncs, commits and elects with delay: every step converges, and no moment lacks a serving majority.
    /// </summary>
    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 4)]
    [InlineData(5, 2)]
    public void Scaling_three_five_seven_five_three_keeps_the_majority(int syncTicks, int firstPrimary)
    {
        var set = new ModelSet(syncTicks, firstPrimary % 3);
        foreach (var size in new[] { 5, 7, 5, 3 })
        {
            if (size == 5 && set.Config.Count == 7) set.Elect(6); // the primary on an ordinal that leaves
            for (var tick = 0; tick < 200 && ScalePlanner.Next(set.Observe(size)) is not ScaleAction.Steady; tick++)
            {
                set.Apply(ScalePlanner.Next(set.Observe(size)));
                set.Tick();
            }

            Assert.IsType<ScaleAction.Steady>(ScalePlanner.Next(set.Observe(size)));
            Assert.Equal(Hosts[..size], set.Config.Select(c => c.Host));
            Assert.All(set.Config, c => Assert.Equal((1, 1.0), (c.Votes, c.Priority)));
        }
    }

    /// <summary>A replica set as the planner sees it, enforcing what mongod enforces on each action.</summary>
    private sealed class ModelSet(int syncTicks, int primary)
    {
        private readonly Dictionary<string, (string State, long Optime, int Version, int Age)> _members =
            Enumerable.Range(0, 3).ToDictionary(i => Hosts[i], i => (i == primary ? "PRIMARY" : "SECONDARY", 0L, 1, 99));

        private long _now;

        public List<ConfigMember> Config { get; private set; } = [.. Three];

        public int Version { get; private set; } = 1;

        public ScaleObservation Observe(int desired) => new(Version, Config,
            [.. _members.Select(m => new ObservedMember(m.Key, m.Value.State, true, m.Value.Optime, m.Value.Version))], Hosts, desired, 10);

        public void Apply(ScaleAction action)
        {
            switch (action)
            {
                case ScaleAction.Reconfig r:
                    Assert.Equal(Version + 1, r.Version);
                    Assert.True(Math.Abs(r.Members.Count(m => m.Voting) - Config.Count(m => m.Voting)) <= 1, "one voting change per reconfig");
                    Assert.All(r.Members, m => Assert.True(m.Voting || m.Priority == 0, "priority must be 0 when non-voting"));
                    Assert.Contains(r.Members, m => _members[m.Host].State == "PRIMARY");
                    foreach (var gone in Config.Where(c => r.Members.All(m => m.Host != c.Host))) _members.Remove(gone.Host);
                    foreach (var added in r.Members.Where(m => !_members.ContainsKey(m.Host))) _members[added.Host] = ("STARTUP2", 0, 0, 0);
                    (Config, Version) = ([.. r.Members], r.Version);
                    var p = _members.Single(m => m.Value.State == "PRIMARY");
                    _members[p.Key] = p.Value with { Version = Version };
                    break;
                case ScaleAction.StepDown s:
                    var to = Config.First(c => c.Voting && c.Host != s.Primary && _members[c.Host].State == "SECONDARY");
                    _members[s.Primary] = _members[s.Primary] with { State = "SECONDARY" };
                    _members[to.Host] = _members[to.Host] with { State = "PRIMARY" };
                    break;
            }

            AssertMajority();
        }

        public void Elect(int ordinal)
        {
            foreach (var key in _members.Keys.ToList())
                _members[key] = _members[key] with { State = key == Hosts[ordinal] ? "PRIMARY" : "SECONDARY" };
        }

        // One unit of time: the primary writes, members sync (a new one after syncTicks), configs propagate.
        public void Tick()
        {
            _now += 5;
            foreach (var key in _members.Keys.ToList())
            {
                var m = _members[key];
                var age = m.Age + 1;
                var state = m.State == "STARTUP2" && age > syncTicks ? "SECONDARY" : m.State;
                var optime = state == "STARTUP2" ? 0 : m.State == "STARTUP2" ? _now - 60 : _now;
                _members[key] = (state, optime, Version, age);
            }

            AssertMajority();
        }

        private void AssertMajority()
        {
            var voters = Config.Where(c => c.Voting).ToList();
            var serving = voters.Count(c => _members[c.Host].State is "PRIMARY" or "SECONDARY");
            Assert.True(serving >= voters.Count / 2 + 1, $"{serving} of {voters.Count} voters serving");
        }
    }
}
