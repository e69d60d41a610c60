using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// replSetGetStatus as mongod's TopologyCoordinator::prepareStatusResponse builds it: each peer's row is what this
/// member last learned of it by heartbeat (MemberData), so two members can see the same peer differently, a peer that
/// stops answering is health 0 / state 8 with a null optime but its last config version, and the commit point trails
/// the applied optime while a majority lacks a write (docs/mongod-simulator.md, "replSetGetStatus").
/// </summary>
public sealed class ReplSetStatusTests : IAsyncLifetime
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);
    private readonly SimHarness _h = new();
    private readonly ManualClock _clock = new();
    private readonly string[] _names = SimHarness.SetNames;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private Task<MongodSimulatorHost[]> ThreeMembersAsync() => _h.StartThreeMemberSetAsync(_clock, Heartbeat * 2);

    private IMongoClient Admin(MongodSimulatorHost host) => _h.ScramClient(host, "admin", "admin-password-1");

    private Task<BsonDocument> StatusAsync(MongodSimulatorHost host) => SimHarness.RunAdmin(Admin(host), new BsonDocument("replSetGetStatus", 1));

    private static BsonDocument Row(BsonDocument status, string name) =>
        status["members"].AsBsonArray.Select(m => m.AsBsonDocument).Single(m => m["name"] == name);

    private static Task InsertW1Async(MongodSimulatorHost primary, IMongoClient client, string id) =>
        client.GetDatabase("clinic").GetCollection<BsonDocument>("records").WithWriteConcern(WriteConcern.W1)
            .InsertOneAsync(new BsonDocument("_id", id), cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Each_peer_row_is_what_this_member_last_heard_so_a_peer_cut_off_from_the_primary_shows_behind_on_a_secondary_and_down_on_the_primary()
    {
        var hosts = await ThreeMembersAsync();
        hosts[2].Faults.PartitionFrom(hosts[0]);
        await InsertW1Async(hosts[0], Admin(hosts[0]), "visit-1"); // m2 misses it: the primary cannot reach it
        _clock.AdvanceInSteps(Heartbeat * 2, Step);

        var onPrimary = await StatusAsync(hosts[0]);
        var onSecondary = await StatusAsync(hosts[1]);
        var primaryOptime = onPrimary["optimes"]["appliedOpTime"];

        Assert.Equal(primaryOptime, Row(onPrimary, _names[1])["optime"]); // m1 applied the write and said so
        var m2OnPrimary = Row(onPrimary, _names[2]);
        Assert.Equal((0.0, 8, "(not reachable/healthy)"), (m2OnPrimary["health"].AsDouble, m2OnPrimary["state"].AsInt32, m2OnPrimary["stateStr"].AsString));
        Assert.Equal(BsonDocument.Parse("{ ts: Timestamp(0, 0), t: NumberLong(-1) }"), m2OnPrimary["optime"]); // the last response is cleared
        Assert.Equal(1, m2OnPrimary["configVersion"].AsInt32); // ... but the config version last reported is kept
        Assert.NotEqual("", m2OnPrimary["lastHeartbeatMessage"].AsString);
        var m2OnSecondary = Row(onSecondary, _names[2]);
        Assert.Equal((1.0, "SECONDARY"), (m2OnSecondary["health"].AsDouble, m2OnSecondary["stateStr"].AsString));
        Assert.True(OpTime.FromBson(m2OnSecondary["optime"]) < OpTime.FromBson(primaryOptime)); // m1 sees m2 behind
        Assert.Equal(_names[0], Row(onPrimary, _names[1])["syncSourceHost"].AsString);
        Assert.Equal(_names[0], onSecondary["syncSourceHost"].AsString);
    }

    [Fact]
    public async Task The_commit_point_stays_behind_a_write_only_the_primary_has_and_moves_once_a_majority_applies_it()
    {
        var hosts = await ThreeMembersAsync();
        hosts[0].Faults.PartitionFrom(hosts[1]);
        hosts[0].Faults.PartitionFrom(hosts[2]);
        await InsertW1Async(hosts[0], Admin(hosts[0]), "visit-1");
        var cutOff = (await StatusAsync(hosts[0]))["optimes"].AsBsonDocument;

        hosts[0].Faults.Heal();
        _clock.AdvanceInSteps(Heartbeat * 2, Step); // the secondaries catch up from the primary; the primary hears it
        var healed = (await StatusAsync(hosts[0]))["optimes"].AsBsonDocument;

        Assert.True(OpTime.FromBson(cutOff["lastCommittedOpTime"]) < OpTime.FromBson(cutOff["appliedOpTime"]));
        Assert.Equal(healed["appliedOpTime"], healed["lastCommittedOpTime"]);
    }

    [Fact]
    public async Task A_killed_member_is_down_with_its_last_config_version_and_comes_back_up_with_a_fresh_uptime_after_a_restart()
    {
        var hosts = await ThreeMembersAsync();
        var reconfig = (await SimHarness.RunAdmin(Admin(hosts[0]), new BsonDocument("replSetGetConfig", 1)))["config"].AsBsonDocument;
        reconfig["version"] = 2;
        await SimHarness.RunAdmin(Admin(hosts[0]), new BsonDocument("replSetReconfig", reconfig));
        var versionsBefore = Row(await StatusAsync(hosts[0]), _names[1])["configVersion"].AsInt32;
        await hosts[1].KillAsync();
        _clock.AdvanceInSteps(Heartbeat * 2, Step);
        var down = Row(await StatusAsync(hosts[0]), _names[1]);

        var back = await _h.StartAsync(_h.ReplicaSetYaml(), new SimHarness.Member(_names[1], _clock), []);
        _clock.AdvanceInSteps(Heartbeat * 2, Step);
        var up = Row(await StatusAsync(hosts[0]), _names[1]);

        Assert.Equal(2, versionsBefore);
        Assert.Equal((0.0, 8, 2, 0), (down["health"].AsDouble, down["state"].AsInt32, down["configVersion"].AsInt32, down["uptime"].AsInt32));
        Assert.Equal((1.0, "SECONDARY"), (up["health"].AsDouble, up["stateStr"].AsString));
        Assert.True(up["uptime"].AsInt32 <= 4);
        Assert.NotNull(back);
    }

    [Fact]
    public async Task A_hung_member_is_marked_down_only_after_heartbeatTimeoutSecs_and_sends_no_heartbeats()
    {
        var hosts = await ThreeMembersAsync();
        hosts[2].Faults.Hang();
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(6), Step);
        var early = Row(await StatusAsync(hosts[0]), _names[2]);
        var recvBefore = Row(await StatusAsync(hosts[0]), _names[2])["lastHeartbeatRecv"].ToUniversalTime();
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(6), Step);
        var late = Row(await StatusAsync(hosts[0]), _names[2]);

        Assert.Equal(1.0, early["health"].AsDouble); // under heartbeatTimeoutSecs (10 s) since its last reply
        Assert.Equal((0.0, 8), (late["health"].AsDouble, late["state"].AsInt32));
        Assert.Equal(recvBefore, late["lastHeartbeatRecv"].ToUniversalTime()); // it sent none meanwhile
        hosts[2].Faults.Resume();
        _clock.AdvanceInSteps(Heartbeat * 2, Step);
        Assert.Equal(1.0, Row(await StatusAsync(hosts[0]), _names[2])["health"].AsDouble);
    }

    [Fact]
    public async Task A_slow_disk_applies_each_write_its_delay_after_the_primary_so_its_optime_trails_then_catches_up()
    {
        var hosts = await ThreeMembersAsync();
        hosts[2].Faults.SlowDisk(TimeSpan.FromSeconds(20));
        await InsertW1Async(hosts[0], Admin(hosts[0]), "visit-1");
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(10), Step);
        var lagging = await StatusAsync(hosts[0]);
        var documentsWhileLagging = hosts[2].State.Data.Scan("clinic.records").Count;
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(14), Step);
        var caughtUp = await StatusAsync(hosts[0]);

        Assert.True(OpTime.FromBson(Row(lagging, _names[2])["optime"]) < OpTime.FromBson(lagging["optimes"]["appliedOpTime"]));
        Assert.Equal(lagging["optimes"]["appliedOpTime"], Row(lagging, _names[1])["optime"]);
        Assert.Equal(0, documentsWhileLagging);
        Assert.Equal(caughtUp["optimes"]["appliedOpTime"], Row(caughtUp, _names[2])["optime"]);
        Assert.Single(hosts[2].State.Data.Scan("clinic.records"));
    }
}
