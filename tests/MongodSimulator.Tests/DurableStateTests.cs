using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// What a member keeps under storage.dbPath across a restart, how a member on an empty volume rejoins (STARTUP until a
/// heartbeat, then initial sync), and the election that replaces a primary that died (docs/mongod-simulator.md,
/// "Durable state" and "Replica sets"). Every member runs on one manual clock, so heartbeats and timeouts happen
/// exactly when the test moves time.
/// </summary>
public sealed class DurableStateTests : IAsyncLifetime
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(2);
    private readonly SimHarness _h = new();
    private readonly ManualClock _clock = new();
    private readonly string[] _names = SimHarness.SetNames;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private string DbPath(int i) => Directory.CreateDirectory(Path.Combine(_h.Pki.Dir, $"data-{i}")).FullName;

    private string Yaml(int i) => _h.ReplicaSetYaml($"storage:\n  dbPath: {DbPath(i)}\nsetParameter:\n  redactClientLogData: true\n");

    private Task<MongodSimulatorHost> StartMemberAsync(int i, TimeSpan initialSyncDelay = default, bool withUsers = true) =>
        _h.StartAsync(Yaml(i), new SimHarness.Member(_names[i], _clock, initialSyncDelay), withUsers ? null : []);

    private Task<MongodSimulatorHost[]> ThreeMembersAsync() => _h.StartThreeMemberSetAsync(_clock, TimeSpan.Zero, i => StartMemberAsync(i));

    private IMongoClient Admin(MongodSimulatorHost host) => _h.ScramClient(host, "admin", "admin-password-1");

    [Fact]
    public async Task A_member_restarted_on_its_own_volume_keeps_config_term_users_and_roles_but_not_runtime_parameters()
    {
        var hosts = await ThreeMembersAsync();
        await SimHarness.RunAdmin(Admin(hosts[0]), BsonDocument.Parse("{ createRole: 'auditor', privileges: [ { resource: { cluster: true }, actions: [ 'getParameter' ] } ], roles: [] }"));
        await SimHarness.RunAdmin(Admin(hosts[0]), BsonDocument.Parse("{ createUser: 'alice', pwd: 'alice-password-1', roles: [ 'auditor' ] }"));
        await SimHarness.RunAdmin(Admin(hosts[1]), BsonDocument.Parse("{ setParameter: 1, redactClientLogData: false }"));
        var before = hosts[1].State.Repl;
        var (version, term) = (before.Config!["version"], before.Term);

        await hosts[1].KillAsync();
        var restarted = await StartMemberAsync(1, withUsers: false);
        var alice = _h.ScramClient(restarted, "alice", "alice-password-1");
        var param = await SimHarness.RunAdmin(alice, BsonDocument.Parse("{ getParameter: 1, redactClientLogData: 1 }"));
        var atStart = restarted.State.Repl.State;
        _clock.Advance(TimeSpan.FromMilliseconds(500)); // one oplog-applier round

        Assert.Equal(MemberState.Recovering, atStart); // data, config installed: steady-state replication starts in RECOVERING
        Assert.Equal(MemberState.Secondary, restarted.State.Repl.State);
        Assert.Equal((version, term), (restarted.State.Repl.Config!["version"], restarted.State.Repl.Term));
        Assert.NotNull(restarted.State.Users.FindRole(new("auditor", "admin")));
        Assert.True(param["redactClientLogData"].AsBoolean);
    }

    [Fact]
    public async Task A_member_on_an_empty_volume_stays_in_STARTUP_until_a_heartbeat_then_syncs_and_becomes_SECONDARY()
    {
        var hosts = await ThreeMembersAsync();
        await SimHarness.RunAdmin(Admin(hosts[0]), BsonDocument.Parse("{ createUser: 'bob', pwd: 'bob-password-1', roles: [ { role: 'clusterMonitor', db: 'admin' } ] }"));
        await Records(Admin(hosts[0])).InsertOneAsync(new BsonDocument("_id", "before-the-loss"), cancellationToken: TestContext.Current.CancellationToken);
        await hosts[2].KillAsync();
        Directory.Delete(DbPath(2), recursive: true); // the volume is lost

        var fresh = await StartMemberAsync(2, initialSyncDelay: TimeSpan.FromSeconds(5), withUsers: false);
        var stateBefore = fresh.State.Repl.State;
        _clock.Advance(Heartbeat + TimeSpan.FromMilliseconds(500));
        var stateSyncing = fresh.State.Repl.State;
        var bobDuringSync = fresh.State.Users.FindUser("admin", "bob");
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(500));
        var status = await SimHarness.RunAdmin(_h.ScramClient(fresh, "bob", "bob-password-1"), new BsonDocument("replSetGetStatus", 1));

        Assert.Equal(MemberState.Startup, stateBefore);
        Assert.Equal(MemberState.Startup2, stateSyncing);
        Assert.Null(bobDuringSync);
        Assert.Equal((2, "rs0"), (status["myState"].AsInt32, status["set"].AsString));
        Assert.NotNull(fresh.State.Users.FindUser("$external", TestPki.OperatorSubject));
        Assert.Single(fresh.State.Data.Scan("clinic.records"));
    }

    [Fact]
    public async Task A_member_without_a_config_answers_replSetGetStatus_with_NotYetInitialized()
    {
        await ThreeMembersAsync();
        var lone = await _h.StartAsync(_h.TlsYaml() + "\nreplication:\n  replSetName: rs0\n", new SimHarness.Member("other.rs0.test:27017", _clock), []);

        var e = await Assert.ThrowsAsync<MongoCommandException>(() => SimHarness.RunAdmin(_h.Client(lone, _h.Pki.Operator, null), new BsonDocument("replSetGetStatus", 1)));
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(500));

        Assert.Equal(94, e.Code);
        Assert.Equal(MemberState.Startup, lone.State.Repl.State); // not in anyone's config: nobody heartbeats it
    }

    [Fact]
    public async Task A_member_that_missed_writes_while_down_catches_up_from_the_primary()
    {
        var hosts = await ThreeMembersAsync();
        await hosts[1].KillAsync();
        await SimHarness.RunAdmin(Admin(hosts[0]), BsonDocument.Parse("{ createUser: 'carol', pwd: 'carol-password-1', roles: [] }"));

        var restarted = await StartMemberAsync(1, withUsers: false);
        var behind = (restarted.State.Repl.LastApplied, restarted.State.Users.FindUser("admin", "carol"));
        _clock.AdvanceInSteps(Heartbeat * 2, TimeSpan.FromMilliseconds(500));

        Assert.True(behind.LastApplied < hosts[0].State.Repl.LastApplied);
        Assert.Null(behind.Item2);
        Assert.Equal(hosts[0].State.Repl.LastApplied, restarted.State.Repl.LastApplied);
        Assert.NotNull(restarted.State.Users.FindUser("admin", "carol"));
    }

    [Fact]
    public async Task A_killed_primary_is_replaced_by_an_election_after_electionTimeoutMillis_and_rejoins_as_secondary()
    {
        var hosts = await ThreeMembersAsync();
        _clock.AdvanceInSteps(Heartbeat * 2, TimeSpan.FromMilliseconds(500)); // the secondaries have heard from the primary
        var oldTerm = hosts[1].State.Repl.Term;
        await hosts[0].KillAsync();

        _clock.AdvanceInSteps(TimeSpan.FromSeconds(7.5), TimeSpan.FromMilliseconds(500)); // under electionTimeoutMillis (10 s) since the last contact
        var primariesEarly = hosts.Skip(1).Count(h => h.State.Repl.IsPrimary);
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(500)); // past 10 s + 15 % + one heartbeat
        var elected = hosts.Skip(1).Where(h => h.State.Repl.IsPrimary).ToList();
        var back = await StartMemberAsync(0, withUsers: false);
        _clock.AdvanceInSteps(Heartbeat * 2, TimeSpan.FromMilliseconds(500));

        Assert.Equal(0, primariesEarly);
        var winner = Assert.Single(elected);
        Assert.True(winner.State.Repl.Term > oldTerm);
        Assert.Equal(MemberState.Secondary, back.State.Repl.State);
        Assert.Equal(winner.State.Repl.Term, back.State.Repl.Term);
    }

    private static IMongoCollection<BsonDocument> Records(IMongoClient client, string? w = "majority", int wtimeoutMs = 0) =>
        client.GetDatabase("clinic").GetCollection<BsonDocument>("records")
            .WithWriteConcern(new WriteConcern(w is null ? null : new WriteConcern.WMode(w), wTimeout: wtimeoutMs > 0 ? TimeSpan.FromMilliseconds(wtimeoutMs) : null));

    [Fact]
    public async Task A_majority_write_acknowledged_before_the_primary_dies_is_on_the_new_primary_and_on_the_old_one_restarted()
    {
        var hosts = await ThreeMembersAsync();
        _clock.AdvanceInSteps(Heartbeat * 2, TimeSpan.FromMilliseconds(500));
        await Records(Admin(hosts[0])).InsertOneAsync(new BsonDocument { { "_id", "visit-1" }, { "note", "acknowledged" } }, cancellationToken: TestContext.Current.CancellationToken);

        await hosts[0].KillAsync();
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(14), TimeSpan.FromMilliseconds(500));
        var primary = Assert.Single(hosts.Skip(1), h => h.State.Repl.IsPrimary);
        var old = await StartMemberAsync(0, withUsers: false);

        Assert.Single(primary.State.Data.Scan("clinic.records"), d => d["_id"] == "visit-1");
        Assert.Single(old.State.Data.Scan("clinic.records"), d => d["_id"] == "visit-1");
    }

    [Fact]
    public async Task A_majority_write_times_out_while_the_primary_is_cut_off_from_both_secondaries_and_a_w1_write_does_not()
    {
        var hosts = await ThreeMembersAsync();
        hosts[0].Faults.PartitionFrom(hosts[1]);
        hosts[0].Faults.PartitionFrom(hosts[2]);

        var majority = await Assert.ThrowsAsync<MongoWriteException>(() =>
            Records(Admin(hosts[0]), wtimeoutMs: 300).InsertOneAsync(new BsonDocument("_id", "late"), cancellationToken: TestContext.Current.CancellationToken));
        await Records(Admin(hosts[0]), w: null).WithWriteConcern(WriteConcern.W1).InsertOneAsync(new BsonDocument("_id", "local-only"), cancellationToken: TestContext.Current.CancellationToken);
        var onSecondary = hosts[1].State.Data.Scan("clinic.records").Count;
        hosts[0].Faults.Heal();
        _clock.AdvanceInSteps(Heartbeat * 2, TimeSpan.FromMilliseconds(500));

        Assert.Equal((64, "WriteConcernFailed"), (majority.WriteConcernError.Code, majority.WriteConcernError.CodeName));
        Assert.Equal(0, onSecondary);
        Assert.Equal(2, hosts[1].State.Data.Scan("clinic.records").Count); // caught up once the partition healed
    }

    [Fact]
    public async Task A_dbPath_in_use_by_a_running_member_refuses_a_second_one_and_a_missing_one_refuses_start()
    {
        await StartMemberAsync(0);

        var inUse = await Assert.ThrowsAsync<MongodConfigException>(() => StartMemberAsync(0));
        var missing = await Assert.ThrowsAsync<MongodConfigException>(() =>
            _h.StartAsync(_h.TlsYaml() + $"\nstorage:\n  dbPath: {Path.Combine(_h.Pki.Dir, "absent")}\n"));

        Assert.Equal(100, inUse.ExitCode);
        Assert.Contains("Another mongod instance is already running", inUse.Message, StringComparison.Ordinal);
        Assert.Equal(100, missing.ExitCode);
        Assert.Contains("not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_is_written_by_rename_so_a_leftover_temporary_file_from_a_killed_writer_is_ignored()
    {
        var hosts = await ThreeMembersAsync();
        await hosts[1].KillAsync();
        var catalog = Path.Combine(DbPath(1), "simulator-catalog.bson");
        await File.WriteAllBytesAsync(catalog + ".tmp", [1, 2, 3], TestContext.Current.CancellationToken); // a write cut short

        var restarted = await StartMemberAsync(1, withUsers: false);
        _clock.Advance(TimeSpan.FromMilliseconds(500)); // RECOVERING until the first oplog-applier round

        Assert.Equal(MemberState.Secondary, restarted.State.Repl.State);
        Assert.NotNull(BsonSerializer.Deserialize<BsonDocument>(await File.ReadAllBytesAsync(catalog, TestContext.Current.CancellationToken))["local.system.replset"]);
    }
}
