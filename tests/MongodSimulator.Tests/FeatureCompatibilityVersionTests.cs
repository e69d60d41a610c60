using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// setFeatureCompatibilityVersion through MongoDB.Driver on an 8.0 set (docs/mongod-simulator.md, "Commands"): one step
/// to the last LTS and back, confirm: true required, the value replicated, kept in dbPath across a restart, and a reply
/// that waits for a majority.
/// </summary>
public sealed class FeatureCompatibilityVersionTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();
    private readonly ManualClock _clock = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private string DbPath(int i) => Directory.CreateDirectory(Path.Combine(_h.Pki.Dir, $"fcv-data-{i}")).FullName;

    private Task<MongodSimulatorHost> StartMemberAsync(int i, bool withUsers = true) => _h.StartAsync(
        _h.ReplicaSetYaml($"storage:\n  dbPath: {DbPath(i)}\n"),
        new SimHarness.Member(SimHarness.SetNames[i], _clock), withUsers ? null : []);

    private Task<MongodSimulatorHost[]> ThreeMembersAsync() => _h.StartThreeMemberSetAsync(_clock, TimeSpan.FromSeconds(4), i => StartMemberAsync(i));

    private IMongoClient Admin(MongodSimulatorHost host) => _h.ScramClient(host, "admin", "admin-password-1");

    private static async Task<string> FcvAsync(IMongoClient client) =>
        (await SimHarness.RunAdmin(client, BsonDocument.Parse("{ getParameter: 1, featureCompatibilityVersion: 1 }")))["featureCompatibilityVersion"]["version"].AsString;

    private static Task<BsonDocument> SetAsync(IMongoClient client, string command) => SimHarness.RunAdmin(client, BsonDocument.Parse(command));

    [Fact]
    public async Task A_downgrade_needs_confirm_goes_one_step_only_reaches_the_secondaries_and_survives_a_restart()
    {
        var hosts = await ThreeMembersAsync();
        var admin = Admin(hosts[0]);

        var unconfirmed = await Assert.ThrowsAsync<MongoCommandException>(() => SetAsync(admin, "{ setFeatureCompatibilityVersion: '7.0' }"));
        var twoSteps = await Assert.ThrowsAsync<MongoCommandException>(() => SetAsync(admin, "{ setFeatureCompatibilityVersion: '6.0', confirm: true }"));
        await SetAsync(admin, "{ setFeatureCompatibilityVersion: '7.0', confirm: true }");
        var onSecondary = hosts[1].State.Parameters.Get("featureCompatibilityVersion")["version"].AsString;
        await hosts[1].KillAsync();
        var restarted = await StartMemberAsync(1, withUsers: false);
        var afterRestart = restarted.State.Parameters.Get("featureCompatibilityVersion")["version"].AsString;
        var upUnconfirmed = await Assert.ThrowsAsync<MongoCommandException>(() => SetAsync(admin, "{ setFeatureCompatibilityVersion: '8.0' }"));
        await SetAsync(admin, "{ setFeatureCompatibilityVersion: '8.0', confirm: true }");

        Assert.Equal(7369100, unconfirmed.Code);
        Assert.Contains("FCV downgrade", unconfirmed.Message, StringComparison.Ordinal);
        Assert.Equal(4926900, twoSteps.Code);
        Assert.Contains("Invalid feature compatibility version value '6.0'; expected '7.0' or '7.3' or '8.0'", twoSteps.Message, StringComparison.Ordinal);
        Assert.Equal(("7.0", "7.0"), (onSecondary, afterRestart));
        Assert.Equal(7369100, upUnconfirmed.Code);
        Assert.Contains("Once you have upgraded to 8.0", upUnconfirmed.Message, StringComparison.Ordinal);
        Assert.Equal("8.0", await FcvAsync(admin));
    }

    // feature_compatibility_version.cpp initializeForStartup: data whose FCV the binary does not know is refused at
    // startup (exit 62, "Wrong mongod version"); an 8.0 binary opens 7.0 data and keeps its FCV until it is raised.
    [Fact]
    public async Task A_binary_refuses_data_whose_fcv_it_does_not_know_and_keeps_an_older_one_it_does()
    {
        var member = new SimHarness.Member(SimHarness.SetNames[0], _clock);
        var eightData = _h.ReplicaSetYaml($"storage:\n  dbPath: {DbPath(0)}\n");
        var sevenData = _h.ReplicaSetYaml($"storage:\n  dbPath: {DbPath(1)}\n");
        await (await _h.StartAsync(eightData, member, version: "8.0.4")).KillAsync();
        var onSeven = await _h.StartAsync(sevenData, member, version: "7.0.12");
        var fcvOnSeven = onSeven.State.Parameters.Get("featureCompatibilityVersion")["version"].AsString;
        await onSeven.KillAsync();

        var refused = await Assert.ThrowsAsync<MongodConfigException>(() => _h.StartAsync(eightData, member, [], version: "7.0.12"));
        var onEight = await _h.StartAsync(sevenData, member, [], version: "8.0.4");

        Assert.Equal(62, refused.ExitCode);
        Assert.Contains("UPGRADE PROBLEM: Found an invalid featureCompatibilityVersion document", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid feature compatibility version value '8.0'; expected '6.0' or '6.3' or '7.0'", refused.Message, StringComparison.Ordinal);
        Assert.Equal("7.0", fcvOnSeven);
        Assert.Equal("7.0", onEight.State.Parameters.Get("featureCompatibilityVersion")["version"].AsString);
    }

    [Fact]
    public async Task With_both_secondaries_behind_the_change_is_made_but_the_reply_times_out_waiting_for_a_majority_and_a_secondary_refuses_it()
    {
        var hosts = await ThreeMembersAsync();
        hosts[1].Faults.SlowDisk(TimeSpan.FromMinutes(5));
        hosts[2].Faults.SlowDisk(TimeSpan.FromMinutes(5));

        int code;
        try
        {
            var reply = await SetAsync(Admin(hosts[0]), "{ setFeatureCompatibilityVersion: '7.0', confirm: true, writeConcern: { wtimeout: 300 } }");
            code = reply["writeConcernError"]["code"].AsInt32;
        }
        catch (MongoWriteConcernException e)
        {
            code = e.WriteConcernResult.Response["writeConcernError"]["code"].AsInt32;
        }

        var onSecondary = await Assert.ThrowsAsync<MongoNotPrimaryException>(() => SetAsync(Admin(hosts[1]), "{ setFeatureCompatibilityVersion: '8.0', confirm: true }"));

        Assert.Equal(64, code);
        Assert.Equal("7.0", await FcvAsync(Admin(hosts[0])));
        Assert.Equal("8.0", hosts[1].State.Parameters.Get("featureCompatibilityVersion")["version"].AsString);
        Assert.Equal(10107, onSecondary.Code);
    }
}
