using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// Users and roles live in admin.system.users / admin.system.roles, which replicate like any collection: a user
/// created on the primary can authenticate on every secondary (manual: "Replica Set Deployment Architectures" and
/// "Users": user data in a replica set is stored in the admin database and replicated).
/// </summary>
public sealed class UserReplicationTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private string Yaml => _h.TlsYaml() + "\nsecurity:\n  authorization: enabled\n  clusterAuthMode: x509\nreplication:\n  replSetName: rs0\n";

    private async Task<(MongodSimulatorHost[] Hosts, IMongoClient Primary)> ThreeMembersAsync()
    {
        var hosts = new[] { await _h.StartAsync(Yaml), await _h.StartAsync(Yaml), await _h.StartAsync(Yaml) };
        var members = new BsonArray(hosts.Select((h, i) => new BsonDocument { { "_id", i }, { "host", h.HostAndPort } }));
        var primary = _h.ScramClient(hosts[0], "admin", "admin-password-1");
        await SimHarness.RunAdmin(primary, new BsonDocument("replSetInitiate", new BsonDocument { { "_id", "rs0" }, { "members", members } }));
        return (hosts, primary);
    }

    [Fact]
    public async Task A_user_created_on_the_primary_authenticates_on_every_secondary()
    {
        var (hosts, primary) = await ThreeMembersAsync();

        await SimHarness.RunAdmin(primary, BsonDocument.Parse("{ createUser: 'alice', pwd: 'alice-password-1', roles: [ { role: 'clusterMonitor', db: 'admin' } ] }"));
        var pings = await Task.WhenAll(hosts.Skip(1).Select(h => SimHarness.RunAdmin(_h.ScramClient(h, "alice", "alice-password-1"), new BsonDocument("serverStatus", 1))));

        Assert.All(pings, p => Assert.Equal(1.0, p["ok"].ToDouble()));
    }

    [Fact]
    public async Task Roles_grants_and_drops_reach_the_secondaries()
    {
        var (hosts, primary) = await ThreeMembersAsync();
        await SimHarness.RunAdmin(primary, BsonDocument.Parse(
            "{ createRole: 'auditor', privileges: [ { resource: { cluster: true }, actions: [ 'getParameter' ] } ], roles: [] }"));
        await SimHarness.RunAdmin(primary, BsonDocument.Parse("{ createUser: 'bob', pwd: 'bob-password-1', roles: [] }"));
        await SimHarness.RunAdmin(primary, BsonDocument.Parse("{ grantRolesToUser: 'bob', roles: [ 'auditor' ] }"));

        var secondaryBob = _h.ScramClient(hosts[2], "bob", "bob-password-1");
        var param = await SimHarness.RunAdmin(secondaryBob, BsonDocument.Parse("{ getParameter: 1, tlsMode: 1 }"));
        var roles = await SimHarness.RunAdmin(_h.ScramClient(hosts[1], "admin", "admin-password-1"), BsonDocument.Parse("{ rolesInfo: 'auditor' }"));
        await SimHarness.RunAdmin(primary, BsonDocument.Parse("{ dropUser: 'bob' }"));

        Assert.Equal("requireTLS", param["tlsMode"].AsString);
        Assert.Equal("auditor", Assert.Single(roles["roles"].AsBsonArray)["role"].AsString);
        Assert.All(hosts, h => Assert.Null(h.State.Users.FindUser("admin", "bob")));
    }

    [Fact]
    public async Task An_out_of_band_user_on_one_member_is_not_replicated()
    {
        var (hosts, _) = await ThreeMembersAsync();

        hosts[0].Drift.AddUser(new("admin", "local-only", "local-only-password-1", []));

        Assert.NotNull(hosts[0].State.Users.FindUser("admin", "local-only"));
        Assert.Null(hosts[1].State.Users.FindUser("admin", "local-only"));
    }
}
