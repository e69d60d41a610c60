using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>Replica-set commands and awaitable hello (doc sections 2.4 and 5).</summary>
public sealed class ReplicaSetTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private string Yaml => _h.TlsYaml() + "\nsecurity:\n  authorization: enabled\n  clusterAuthMode: x509\nreplication:\n  replSetName: rs0\n";

    private async Task<(MongodSimulatorHost Host, IMongoClient Admin)> InitiatedAsync()
    {
        var host = await _h.StartAsync(Yaml);
        var admin = _h.ScramClient(host, "admin", "admin-password-1");
        await SimHarness.RunAdmin(admin, new BsonDocument("replSetInitiate", new BsonDocument()));
        return (host, admin);
    }

    [Fact]
    public async Task Status_and_config_have_the_documented_shapes()
    {
        var (host, admin) = await InitiatedAsync();

        var status = await SimHarness.RunAdmin(admin, new BsonDocument("replSetGetStatus", 1));
        var config = (await SimHarness.RunAdmin(admin, new BsonDocument("replSetGetConfig", 1)))["config"];

        Assert.Equal(("rs0", 1), (status["set"].AsString, status["myState"].AsInt32));
        Assert.IsType<BsonInt64>(status["term"]);
        var me = Assert.Single(status["members"].AsBsonArray);
        Assert.Equal(("PRIMARY", 1.0, true), (me["stateStr"].AsString, me["health"].AsDouble, me["self"].AsBoolean));
        Assert.Equal(host.HostAndPort, config["members"][0]["host"].AsString);
        Assert.IsType<BsonDouble>(config["members"][0]["priority"]);
        Assert.IsType<BsonInt64>(config["members"][0]["secondaryDelaySecs"]);
        Assert.Equal(new BsonInt64(1), config["protocolVersion"]);
        Assert.IsType<BsonObjectId>(config["settings"]["replicaSetId"]);
    }

    [Fact]
    public async Task Reconfig_needs_a_higher_version_and_raises_setVersion()
    {
        var (_, admin) = await InitiatedAsync();
        var config = (await SimHarness.RunAdmin(admin, new BsonDocument("replSetGetConfig", 1)))["config"].AsBsonDocument;

        var same = await Assert.ThrowsAsync<MongoCommandException>(() => SimHarness.RunAdmin(admin, new BsonDocument("replSetReconfig", config)));
        config["version"] = config["version"].AsInt32 + 1;
        await SimHarness.RunAdmin(admin, new BsonDocument("replSetReconfig", config));
        var hello = await SimHarness.RunAdmin(admin, new BsonDocument("hello", 1));

        Assert.Equal(103, same.Code);
        Assert.Equal(2, hello["setVersion"].AsInt32);
    }

    [Fact]
    public async Task A_non_voting_member_must_have_priority_0()
    {
        var (_, admin) = await InitiatedAsync();
        var config = (await SimHarness.RunAdmin(admin, new BsonDocument("replSetGetConfig", 1)))["config"].AsBsonDocument;
        config["version"] = config["version"].AsInt32 + 1;
        config["members"].AsBsonArray.Add(BsonDocument.Parse("{ _id: 7, host: 'late.example:27017', votes: 0 }"));

        var refused = await Assert.ThrowsAsync<MongoCommandException>(() => SimHarness.RunAdmin(admin, new BsonDocument("replSetReconfig", config)));

        Assert.Equal((2, "priority must be 0 when non-voting (votes:0)"), (refused.Code, refused.ErrorMessage));
    }

    [Fact]
    public async Task StepDown_without_electable_secondary_is_262_and_with_force_makes_the_member_secondary()
    {
        var (_, admin) = await InitiatedAsync();

        var noPeer = await Assert.ThrowsAsync<MongoCommandException>(() => SimHarness.RunAdmin(admin, BsonDocument.Parse("{ replSetStepDown: 60 }")));
        await SimHarness.RunAdmin(admin, BsonDocument.Parse("{ replSetStepDown: 60, force: true }"));
        var hello = await SimHarness.RunAdmin(admin, new BsonDocument("hello", 1));
        var write = await Assert.ThrowsAnyAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(admin, BsonDocument.Parse("{ createUser: 'late', pwd: 'late-password-1', roles: [] }")));

        Assert.Equal(262, noPeer.Code);
        Assert.False(hello["isWritablePrimary"].AsBoolean);
        Assert.True(hello["secondary"].AsBoolean);
        Assert.Equal(10107, write.Code);
        Assert.True(write.Result.Contains("topologyVersion"));
    }

    [Fact]
    public async Task Not_initiated_and_not_a_replica_set_give_94_and_76()
    {
        var ghost = await _h.StartAsync(Yaml);
        var standalone = await _h.StartAsync(_h.TlsYaml() + "\nsecurity:\n  authorization: enabled\n");

        var e94 = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(_h.ScramClient(ghost, "admin", "admin-password-1"), new BsonDocument("replSetGetStatus", 1)));
        var e76 = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(_h.ScramClient(standalone, "admin", "admin-password-1"), new BsonDocument("replSetGetStatus", 1)));

        Assert.Equal(94, e94.Code);
        Assert.Equal(76, e76.Code);
    }

    [Fact]
    public async Task Three_in_process_members_form_one_set_and_step_down_elects_a_peer()
    {
        var hosts = new[] { await _h.StartAsync(Yaml), await _h.StartAsync(Yaml), await _h.StartAsync(Yaml) };
        var members = new BsonArray(hosts.Select((h, i) => new BsonDocument { { "_id", i }, { "host", h.HostAndPort } }));
        var admin0 = _h.ScramClient(hosts[0], "admin", "admin-password-1");
        await SimHarness.RunAdmin(admin0, new BsonDocument("replSetInitiate", new BsonDocument { { "_id", "rs0" }, { "members", members } }));

        // The others sync (STARTUP2), then RECOVERING until their first oplog-applier round, then SECONDARY; the
        // primary's status shows that at its next heartbeat.
        var status = await SimHarness.RunAdmin(admin0, new BsonDocument("replSetGetStatus", 1));
        for (var waited = 0; waited < 100 && status["members"].AsBsonArray.Count(m => m["stateStr"] == "SECONDARY") < 2; waited++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            status = await SimHarness.RunAdmin(admin0, new BsonDocument("replSetGetStatus", 1));
        }

        await SimHarness.RunAdmin(admin0, BsonDocument.Parse("{ replSetStepDown: 60 }"));
        var afterStepDown = await Task.WhenAll(hosts.Select(h => SimHarness.RunAdmin(_h.X509Client(h), new BsonDocument("hello", 1))));

        Assert.Equal(["PRIMARY", "SECONDARY", "SECONDARY"], status["members"].AsBsonArray.Select(m => m["stateStr"].AsString));
        Assert.Equal(1, afterStepDown.Count(h => h["isWritablePrimary"].AsBoolean));
        Assert.False(afterStepDown[0]["isWritablePrimary"].AsBoolean);
    }

    [Fact]
    public async Task Exhaust_hello_streams_replies_with_moreToCome_each_answering_the_previous_reply()
    {
        // OP_MSG spec: flag bit 16 exhaustAllowed on the request, bit 1 moreToCome on each streamed reply; mongod's
        // synthesised follow-up requests carry the previous reply's requestID, so each reply's responseTo names it.
        var host = await _h.StartAsync("net:\n  bindIp: 127.0.0.1\nreplication:\n  replSetName: rs0\n", users: []);
        using var wire = await RawWire.ConnectAsync(host.Port);
        await wire.SendAsync(RawWire.OpMsg(BsonDocument.Parse("{ replSetInitiate: {}, $db: 'admin' }"), requestId: 1));
        var handshake = (await wire.ReceiveMsgAsync())!.Value;
        await wire.SendAsync(RawWire.OpMsg(BsonDocument.Parse("{ hello: 1, $db: 'admin' }"), requestId: 2));
        var topology = (await wire.ReceiveMsgAsync())!.Value.Doc["topologyVersion"];
        var awaitable = new BsonDocument { { "hello", 1 }, { "topologyVersion", topology }, { "maxAwaitTimeMS", 200 }, { "$db", "admin" } };

        await wire.SendAsync(RawWire.OpMsg(awaitable, flags: 0x10000, requestId: 50));
        var first = (await wire.ReceiveMsgAsync())!.Value;
        var second = (await wire.ReceiveMsgAsync())!.Value; // unasked: the server streams

        Assert.Equal(1.0, handshake.Doc["ok"].ToDouble());
        Assert.Equal((50, 2u), (first.ResponseTo, first.Flags & 2u));
        Assert.Equal((first.RequestId, 2u), (second.ResponseTo, second.Flags & 2u));
        Assert.Equal(topology, second.Doc["topologyVersion"]);
        Assert.Equal(1.0, second.Doc["ok"].ToDouble());
    }

    [Fact]
    public async Task Awaitable_hello_without_exhaustAllowed_gets_one_plain_reply()
    {
        var host = await _h.StartAsync("net:\n  bindIp: 127.0.0.1\nreplication:\n  replSetName: rs0\n", users: []);
        using var wire = await RawWire.ConnectAsync(host.Port);
        await wire.SendAsync(RawWire.OpMsg(BsonDocument.Parse("{ hello: 1, $db: 'admin' }"), requestId: 2));
        var topology = (await wire.ReceiveMsgAsync())!.Value.Doc["topologyVersion"];

        await wire.SendAsync(RawWire.OpMsg(new BsonDocument { { "hello", 1 }, { "topologyVersion", topology }, { "maxAwaitTimeMS", 100 }, { "$db", "admin" } },
            requestId: 3));
        var reply = (await wire.ReceiveMsgAsync())!.Value;
        await wire.SendAsync(RawWire.OpMsg(BsonDocument.Parse("{ ping: 1, $db: 'admin' }"), requestId: 4));
        var ping = (await wire.ReceiveMsgAsync())!.Value;

        Assert.Equal((3, 0u), (reply.ResponseTo, reply.Flags));
        Assert.Equal(4, ping.ResponseTo); // the next reply answers the next request: nothing was streamed in between
    }

    [Fact]
    public async Task Driver_monitor_stays_quiet_after_a_topology_change()
    {
        // The C# driver's streaming monitor re-sends its handshake's topologyVersion unless replies stream; after
        // replSetInitiate that version is stale, so a server that does not stream answers every hello at once.
        var host = await _h.StartAsync(Yaml);
        var heartbeats = 0;
        var settings = MongoClientSettings.FromConnectionString($"mongodb://localhost:{host.Port}/?directConnection=true&tls=true");
        settings.SslSettings = new SslSettings { ClientCertificates = [_h.Pki.Operator], ServerCertificateValidationCallback = (_, _, _, _) => true };
        settings.Credential = MongoCredential.CreateCredential("admin", "admin", "admin-password-1");
        settings.ClusterConfigurator = b => b.Subscribe<ServerHeartbeatSucceededEvent>(_ => Interlocked.Increment(ref heartbeats));
        using var client = new MongoClient(settings);
        await SimHarness.RunAdmin(client, new BsonDocument("replSetInitiate", new BsonDocument()));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // the monitor sees the change

        var before = Volatile.Read(ref heartbeats);
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        var during = Volatile.Read(ref heartbeats) - before;

        // Default heartbeat 10 s: with streaming, at most a reply or two in 2 s; without it, thousands.
        Assert.True(during < 10, $"{during} heartbeats in 2 s of idleness");
    }

    [Fact]
    public async Task Awaitable_hello_is_used_by_the_driver_monitor()
    {
        var (host, _) = await InitiatedAsync();
        var awaited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = MongoClientSettings.FromConnectionString($"mongodb://localhost:{host.Port}/?directConnection=true&tls=true");
        settings.SslSettings = new SslSettings { ClientCertificates = [_h.Pki.Operator], ServerCertificateValidationCallback = (_, _, _, _) => true };
        settings.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
        settings.ClusterConfigurator = b => b.Subscribe<ServerHeartbeatSucceededEvent>(e =>
        {
            if (e.Awaited)
            {
                awaited.TrySetResult(true);
            }
        });
        using var client = new MongoClient(settings);
        await SimHarness.RunAdmin(client, new BsonDocument("ping", 1));

        Assert.True(await awaited.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
    }
}
