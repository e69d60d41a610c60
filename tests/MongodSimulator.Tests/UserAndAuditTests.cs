using HipaaMongo.MongodSimulator.Auth;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>usersInfo/rolesInfo shapes, out-of-band drift, profiler, edition audit commands and the audit log.</summary>
public sealed class UserAndAuditTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private string AuditPath => Path.Combine(_h.Pki.Dir, "audit", "auditLog.json");

    private string Yaml => _h.TlsYaml() + $$"""

        security:
          authorization: enabled
        auditLog:
          destination: file
          format: JSON
          path: {{AuditPath}}
          filter: '{ atype: { $in: ["authenticate", "authCheck", "createUser"] } }'
        """;

    [Fact]
    public async Task UsersInfo_lists_users_with_the_documented_fields_and_a_rogue_user_added_out_of_band()
    {
        var host = await _h.StartAsync(Yaml);
        host.Drift.AddUser(new SimUserSpec("admin", "rogue", "rogue-password-1", [new RoleRef("root", "admin")]));

        var reply = await SimHarness.RunAdmin(_h.X509Client(host), BsonDocument.Parse("{ usersInfo: { forAllDBs: true } }"));

        var rogue = reply["users"].AsBsonArray.Single(u => u["user"] == "rogue");
        Assert.Equal("admin.rogue", rogue["_id"].AsString);
        Assert.Equal(BsonBinarySubType.UuidStandard, rogue["userId"].AsBsonBinaryData.SubType);
        Assert.Equal(new BsonArray { new BsonDocument { { "role", "root" }, { "db", "admin" } } }, rogue["roles"]);
        Assert.Equal(new BsonArray { "SCRAM-SHA-256" }, rogue["mechanisms"]);
        Assert.Contains(reply["users"].AsBsonArray, u => u["db"] == "$external" && u["user"] == TestPki.OperatorSubject);
    }

    [Fact]
    public async Task RolesInfo_shows_custom_role_privileges()
    {
        var host = await _h.StartAsync(Yaml);
        var admin = _h.ScramClient(host, "admin", "admin-password-1");
        await SimHarness.RunAdmin(admin, BsonDocument.Parse(
            "{ createRole: 'auditReader', roles: [], privileges: [ { resource: { cluster: true }, actions: ['getParameter'] } ] }"));
        var unknownAction = await Assert.ThrowsAsync<MongoCommandException>(() => SimHarness.RunAdmin(admin, BsonDocument.Parse(
            "{ createRole: 'bad', roles: [], privileges: [ { resource: { cluster: true }, actions: ['flyToMoon'] } ] }")));

        var reply = await SimHarness.RunAdmin(admin, BsonDocument.Parse("{ rolesInfo: 'auditReader', showPrivileges: true }"));

        var role = Assert.Single(reply["roles"].AsBsonArray);
        Assert.False(role["isBuiltin"].AsBoolean);
        Assert.Equal(BsonDocument.Parse("{ resource: { cluster: true }, actions: ['getParameter'] }"), role["privileges"][0]);
        Assert.Equal(2, unknownAction.Code);
    }

    [Fact]
    public async Task Profile_command_reports_the_previous_level()
    {
        var host = await _h.StartAsync(Yaml);
        var admin = _h.ScramClient(host, "admin", "admin-password-1");

        var first = await admin.GetDatabase("phi").RunCommandAsync<BsonDocument>(BsonDocument.Parse("{ profile: 2 }"), cancellationToken: TestContext.Current.CancellationToken);
        var second = await admin.GetDatabase("phi").RunCommandAsync<BsonDocument>(BsonDocument.Parse("{ profile: -1 }"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, first["was"].AsInt32);
        Assert.Equal(2, second["was"].AsInt32);
    }

    [Fact]
    public async Task Enterprise_answers_getClusterParameter_and_psmdb_answers_auditGetOptions_without_auth()
    {
        var enterprise = await _h.StartAsync(Yaml);
        var psmdb = await _h.StartAsync(Yaml, edition: Config.Edition.Psmdb);
        var anonymous = _h.Client(psmdb, _h.Pki.Operator, null);

        var cluster = await SimHarness.RunAdmin(_h.ScramClient(enterprise, "admin", "admin-password-1"), BsonDocument.Parse("{ getClusterParameter: 'auditConfig' }"));
        var options = await SimHarness.RunAdmin(anonymous, new BsonDocument("auditGetOptions", 1));
        var notOnEnterprise = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(_h.X509Client(enterprise), new BsonDocument("auditGetOptions", 1)));

        var param = cluster["clusterParameters"][0];
        Assert.Equal("auditConfig", param["_id"].AsString);
        Assert.False(param["auditAuthorizationSuccess"].AsBoolean);
        Assert.Equal(("file", "JSON", AuditPath), (options["destination"].AsString, options["format"].AsString, options["path"].AsString));
        Assert.IsType<BsonString>(options["filter"]);
        Assert.Equal(59, notOnEnterprise.Code);
    }

    [Fact]
    public async Task Audit_log_is_json_lines_with_failed_authentication_and_authorization()
    {
        var host = await _h.StartAsync(Yaml);
        await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => SimHarness.RunAdmin(_h.ScramClient(host, "admin", "wrong-password"), new BsonDocument("ping", 1)));
        var app = _h.ScramClient(host, "admin", "admin-password-1");
        await SimHarness.RunAdmin(app, BsonDocument.Parse("{ createUser: 'weak', pwd: 'weak-password-1', roles: [] }"));
        await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(_h.ScramClient(host, "weak", "weak-password-1"), BsonDocument.Parse("{ getParameter: 1, tlsMode: 1 }")));

        var events = (await File.ReadAllLinesAsync(AuditPath, TestContext.Current.CancellationToken)).Select(BsonDocument.Parse).ToList();

        Assert.Contains(events, e => e["atype"] == "authenticate" && e["result"] == 18 && e["param"]["user"] == "admin");
        Assert.Contains(events, e => e["atype"] == "authCheck" && e["result"] == 13 && e["param"]["command"] == "getParameter");
        Assert.Contains(events, e => e["atype"] == "createUser" && e["param"]["user"] == "weak");
        Assert.DoesNotContain(events, e => e["atype"] == "startup"); // excluded by the configured filter
        Assert.All(events, e => Assert.True(e.Contains("ts") && e.Contains("local") && e.Contains("remote") && e.Contains("users")));
        Assert.DoesNotContain("weak-password-1", await File.ReadAllTextAsync(AuditPath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Restart_with_other_options_is_visible_in_getCmdLineOpts_and_keeps_users()
    {
        var host = await _h.StartAsync(Yaml);
        var drifted = Config.MongodConfig.Parse(Yaml + "\nsetParameter:\n  enableLocalhostAuthBypass: true\n", new Config.SimulatorProfile(), "/etc/mongod.conf");

        await host.RestartAsync(drifted);
        var opts = await SimHarness.RunAdmin(_h.ScramClient(host, "admin", "admin-password-1"), new BsonDocument("getCmdLineOpts", 1));

        Assert.Equal("true", opts["parsed"]["setParameter"]["enableLocalhostAuthBypass"].AsString);
    }
}
