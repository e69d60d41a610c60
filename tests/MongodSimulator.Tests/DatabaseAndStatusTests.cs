using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// listDatabases (manual, reference/command/listDatabases), rolesInfo per database (reference/command/rolesInfo),
/// Percona's serverStatus.encryptionAtRest (PSMDB 8.0.12-4, PSMDB-1633) and the auditConfig cluster parameter of a
/// member not taking part in runtime audit configuration (reference/cluster-parameters/auditConfig).
/// </summary>
public sealed class DatabaseAndStatusTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private string Yaml(string extraSecurity = "", string extraSetParameter = "") => _h.TlsYaml() + $$"""

        security:
          authorization: enabled
        {{extraSecurity}}
        setParameter:
          enableLocalhostAuthBypass: false
        {{extraSetParameter}}
        """;

    [Fact]
    public async Task ListDatabases_lists_existing_databases_in_both_reply_forms()
    {
        var host = await _h.StartAsync(Yaml());
        host.Drift.AddDatabase("products");
        var admin = _h.ScramClient(host, "admin", "admin-password-1");

        var names = await SimHarness.RunAdmin(admin, BsonDocument.Parse("{ listDatabases: 1, nameOnly: true }"));
        var full = await SimHarness.RunAdmin(admin, new BsonDocument("listDatabases", 1));

        Assert.Equal(["admin", "config", "local", "products"], names["databases"].AsBsonArray.Select(d => d["name"].AsString));
        Assert.All(names["databases"].AsBsonArray, d => Assert.Equal(1, d.AsBsonDocument.ElementCount));
        Assert.False(names.Contains("totalSize"));
        var products = full["databases"].AsBsonArray.Single(d => d["name"] == "products");
        Assert.IsType<BsonInt64>(products["sizeOnDisk"]);
        Assert.IsType<BsonBoolean>(products["empty"]);
        Assert.True(full.Contains("totalSize") && full.Contains("totalSizeMb"));
    }

    [Fact]
    public async Task Without_the_listDatabases_action_only_authorized_databases_are_listed()
    {
        var clerk = new SimUserSpec("admin", "clerk", "clerk-password-1", [new RoleRef("readWrite", "products")]);
        var host = await _h.StartAsync(Yaml(), [SimHarness.Admin, clerk]);
        host.Drift.AddDatabase("products");
        host.Drift.AddDatabase("billing");
        var client = _h.ScramClient(host, "clerk", "clerk-password-1");

        var listed = await SimHarness.RunAdmin(client, BsonDocument.Parse("{ listDatabases: 1, nameOnly: true }"));
        var refused = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(client, BsonDocument.Parse("{ listDatabases: 1, nameOnly: true, authorizedDatabases: false }")));

        Assert.Equal(["products"], listed["databases"].AsBsonArray.Select(d => d["name"].AsString));
        Assert.Equal(13, refused.Code);
    }

    [Fact]
    public async Task RolesInfo_lists_only_the_roles_of_the_database_it_runs_on()
    {
        var host = await _h.StartAsync(Yaml());
        var admin = _h.ScramClient(host, "admin", "admin-password-1");
        await admin.GetDatabase("products").RunCommandAsync<BsonDocument>(
            BsonDocument.Parse("{ createRole: 'associate', privileges: [], roles: [ { role: 'readWrite', db: 'products' } ] }"),
            cancellationToken: TestContext.Current.CancellationToken);
        var query = BsonDocument.Parse("{ rolesInfo: 1, showPrivileges: true, showBuiltinRoles: false }");

        var onAdmin = await SimHarness.RunAdmin(admin, query);
        var onProducts = await admin.GetDatabase("products").RunCommandAsync<BsonDocument>(query, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(onAdmin["roles"].AsBsonArray);
        Assert.Equal("products.associate", Assert.Single(onProducts["roles"].AsBsonArray)["_id"].AsString);
    }

    [Fact]
    public async Task Psmdb_8_0_12_reports_encryptionAtRest_with_a_local_key_and_older_builds_do_not()
    {
        var key = Path.Combine(_h.Pki.Dir, "encryption.key");
        await File.WriteAllTextAsync(key, Convert.ToBase64String(new byte[32]), TestContext.Current.CancellationToken);
        var encryption = $"  enableEncryption: true\n  encryptionKeyFile: {key}\n  encryptionCipherMode: AES256-GCM";
        var current = await _h.StartAsync(Yaml(encryption), edition: Edition.Psmdb, version: "8.0.12-4");
        var older = await _h.StartAsync(Yaml(encryption), edition: Edition.Psmdb, version: "8.0.4");
        var enterprise = await _h.StartAsync(Yaml());

        var status = await SimHarness.RunAdmin(_h.ScramClient(current, "admin", "admin-password-1"), new BsonDocument("serverStatus", 1));
        var build = await SimHarness.RunAdmin(_h.ScramClient(current, "admin", "admin-password-1"), new BsonDocument("buildInfo", 1));
        var old = await SimHarness.RunAdmin(_h.ScramClient(older, "admin", "admin-password-1"), new BsonDocument("serverStatus", 1));
        var ent = await SimHarness.RunAdmin(_h.ScramClient(enterprise, "admin", "admin-password-1"), new BsonDocument("serverStatus", 1));

        var section = status["encryptionAtRest"].AsBsonDocument;
        Assert.True(section["encryptionEnabled"].AsBoolean);
        Assert.Equal("AES256-GCM", section["encryptionCipherMode"].AsString);
        Assert.Equal("local", section["encryptionKeyId"].AsString);
        Assert.Equal(new BsonArray { 8, 0, 12, 0 }, build["versionArray"]);
        Assert.False(old.Contains("encryptionAtRest"));
        Assert.False(ent.Contains("encryptionAtRest"));
    }

    [Fact]
    public async Task AuditConfig_reports_the_configuration_file_value_not_a_runtime_change()
    {
        var host = await _h.StartAsync(_h.TlsYaml() + """

            security:
              authorization: enabled
            setParameter:
              enableLocalhostAuthBypass: false
              auditAuthorizationSuccess: true
            auditLog:
              destination: console
            """);
        var admin = _h.ScramClient(host, "admin", "admin-password-1");
        await SimHarness.RunAdmin(admin, BsonDocument.Parse("{ setParameter: 1, auditAuthorizationSuccess: false }"));

        var reply = await SimHarness.RunAdmin(admin, BsonDocument.Parse("{ getClusterParameter: 'auditConfig' }"));

        Assert.True(reply["clusterParameters"][0]["auditAuthorizationSuccess"].AsBoolean);
    }
}
