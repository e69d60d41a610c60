using System.Security.Cryptography.X509Certificates;
using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// LDAP authentication (PLAIN on $external) and authorization (authz.queryTemplate) against a real slapd over LDAPS,
/// as PSMDB's LDAPManager does (docs/mongod-simulator.md, "LDAP"), with the real mongosh and MongoDB.Driver.
/// </summary>
public sealed class LdapAuthTests(SlapdServer slapd) : IClassFixture<SlapdServer>, IAsyncLifetime
{
    private const string GroupsQuery = "ou=groups,dc=example,dc=org??one?(&(objectClass=groupOfNames)(member={USER}))";
    private const string PeopleMapping = "'[{\"match\":\"(.+)\",\"substitution\":\"uid={0},ou=people,dc=example,dc=org\"}]'";
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private string Yaml(string mapping = PeopleMapping, string template = GroupsQuery, string queryPassword = SlapdServer.QueryPassword,
        string transport = "tls") => _h.TlsYaml() + $"""

        security:
          authorization: enabled
          ldap:
            servers: 127.0.0.1:{slapd.Port}
            transportSecurity: {transport}
            bind:
              method: simple
              queryUser: {SlapdServer.QueryUser}
              queryPassword: {queryPassword}
            userToDNMapping: {mapping}
            authz:
              queryTemplate: '{template}'
        setParameter:
          authenticationMechanisms: SCRAM-SHA-256,MONGODB-X509,PLAIN
        """;

    private async Task<MongodSimulatorHost> StartAsync(string yaml, string? ldapConf = null, string groupRole = SlapdServer.PhiReaders,
        TimeProvider? clock = null)
    {
        var host = await _h.StartAsync(yaml, new SimHarness.Member(Clock: clock, LdapConf: ldapConf ?? slapd.LdapConf()), edition: Edition.Psmdb, version: "8.0.12");
        var admin = _h.ScramClient(host, "admin", "admin-password-1");
        await SimHarness.RunAdmin(admin, new BsonDocument
        {
            { "createRole", groupRole },
            { "privileges", new BsonArray() },
            { "roles", new BsonArray { new BsonDocument { { "role", "read" }, { "db", "patients" } } } },
        });
        await admin.GetDatabase("patients").GetCollection<BsonDocument>("records")
            .InsertOneAsync(new BsonDocument("mrn", 1), cancellationToken: TestContext.Current.CancellationToken);
        return host;
    }

    private IMongoClient Plain(MongodSimulatorHost host, string user, string password, string? appName = null) =>
        _h.Client(host, _h.Pki.Operator, MongoCredential.CreatePlainCredential("$external", user, password), appName: appName);

    private async Task<(int Code, string Output)> MongoshAsync(MongodSimulatorHost host, string user, string password, string script)
    {
        var mongosh = await MongoshRunner.EnsureAsync();
        var combined = Path.Combine(_h.Pki.Dir, "client-combined.pem");
        await File.WriteAllTextAsync(combined, _h.Pki.Operator.ExportCertificatePem() + "\n" +
            _h.Pki.Operator.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n", TestContext.Current.CancellationToken);
        return await MongoshRunner.RunAsync(mongosh,
        [
            $"mongodb://localhost:{host.Port}/?directConnection=true&tls=true", "--tlsCAFile", _h.Pki.CaFile,
            "--tlsCertificateKeyFile", combined, "--authenticationMechanism", "PLAIN", "--authenticationDatabase", "$external",
            "-u", user, "-p", password, "--quiet", "--norc", "--eval", script,
        ], TimeSpan.FromSeconds(90));
    }

    private static List<string> Roles(BsonValue roles) =>
        [.. roles.AsBsonArray.Select(r => $"{r["role"].AsString}@{r["db"].AsString}").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Mongosh_logs_a_directory_user_in_with_PLAIN_and_the_user_gets_exactly_its_groups_role()
    {
        var host = await StartAsync(Yaml());

        var (code, output) = await MongoshAsync(host, "alice", SlapdServer.Password("alice"), """
            const s = db.adminCommand({connectionStatus: 1}).authInfo;
            const count = db.getSiblingDB('patients').records.countDocuments({});
            let insert = 0;
            try { db.getSiblingDB('patients').records.insertOne({mrn: 2}); } catch (e) { insert = e.code; }
            print(JSON.stringify({users: s.authenticatedUsers, roles: s.authenticatedUserRoles, count, insert}));
            """);

        Assert.True(code == 0, output);
        var reply = BsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{')));
        Assert.Equal(new BsonArray { new BsonDocument { { "user", "alice" }, { "db", "$external" } } }, reply["users"]);
        // The group's role and the role it inherits (connectionStatus lists the closure), nothing else.
        Assert.Equal([$"{SlapdServer.PhiReaders}@admin", "read@patients"], Roles(reply["roles"]));
        Assert.Equal(1, reply["count"].ToInt32());
        Assert.Equal(13, reply["insert"].ToInt32()); // the group grants read on patients, nothing more
    }

    [Fact]
    public async Task Mongosh_with_a_wrong_password_is_refused_and_the_failure_is_audited()
    {
        var host = await StartAsync(Yaml());

        var (code, output) = await MongoshAsync(host, "alice", "not-" + SlapdServer.Password("alice"), "print('in')");

        Assert.NotEqual(0, code);
        Assert.Contains("Authentication failed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("in\n", output, StringComparison.Ordinal);
        Assert.Contains(host.GlobalLog.Snapshot().Lines, l => l.Contains("Invalid credentials", StringComparison.Ordinal)
            && !l.Contains(SlapdServer.Password("alice"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_user_in_no_group_and_a_user_whose_group_has_no_role_authenticate_with_no_roles()
    {
        var host = await StartAsync(Yaml());

        foreach (var user in new[] { "bob", "carol" })
        {
            var status = await SimHarness.RunAdmin(Plain(host, user, SlapdServer.Password(user)), new BsonDocument("connectionStatus", 1));
            Assert.Equal(user, status["authInfo"]["authenticatedUsers"][0]["user"].AsString);
            Assert.Empty(status["authInfo"]["authenticatedUserRoles"].AsBsonArray);
        }
    }

    [Fact]
    public async Task An_unknown_user_and_an_empty_password_are_refused()
    {
        var host = await StartAsync(Yaml());

        var unknown = await Assert.ThrowsAsync<MongoAuthenticationException>(() =>
            SimHarness.RunAdmin(Plain(host, "mallory", "whatever-1"), new BsonDocument("ping", 1)));
        Assert.Contains("Authentication failed", unknown.InnerException?.Message ?? unknown.Message, StringComparison.Ordinal);

        // An empty password would be an unauthenticated bind, which LDAP servers accept (RFC 4513 5.1.2): refused first.
        var anonymous = _h.Client(host, _h.Pki.Operator, null);
        var empty = await Assert.ThrowsAsync<MongoCommandException>(() => anonymous.GetDatabase("$external").RunCommandAsync<BsonDocument>(
            new BsonDocument { { "saslStart", 1 }, { "mechanism", "PLAIN" }, { "payload", new BsonBinaryData("\0alice\0"u8.ToArray()) } },
            cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(18, empty.Code);
        var log = host.GlobalLog.Snapshot().Lines;
        Assert.Contains(log, l => l.Contains("uid=mallory", StringComparison.Ordinal) && l.Contains("Invalid credentials", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("Failed to authenticate 'alice'; No password provided.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ldapQuery_mapping_in_relaxed_json_and_an_attribute_query_map_alice_to_the_group_named_by_its_cn()
    {
        // The mapping searches the DN (one entry) and the template returns the groups' cn values, not their DNs.
        var host = await StartAsync(
            Yaml(mapping: "'[{match: \"(.+)\", ldapQuery: \"ou=people,dc=example,dc=org??one?(uid={0})\"}]'",
                template: "ou=groups,dc=example,dc=org?cn?one?(member={USER})"),
            groupRole: "phi-readers");

        var status = await SimHarness.RunAdmin(Plain(host, "alice", SlapdServer.Password("alice")), new BsonDocument("connectionStatus", 1));

        Assert.Equal(["phi-readers@admin", "read@patients"], Roles(status["authInfo"]["authenticatedUserRoles"]));
    }

    [Fact]
    public async Task A_user_removed_from_the_group_keeps_the_cached_role_until_the_cache_interval_and_loses_it_after()
    {
        // mongod reads a directory user's groups once and keeps them in its user cache until the $external entries
        // are flushed, every ldapUserCacheInvalidationInterval seconds (default 30); the clock is the test's.
        var clock = new ManualClock();
        var host = await StartAsync(Yaml(), clock: clock);
        var admin = _h.ScramClient(host, "admin", "admin-password-1");
        Assert.Equal(30, (await SimHarness.RunAdmin(admin, new BsonDocument { { "getParameter", 1 }, { "ldapUserCacheInvalidationInterval", 1 } }))
            ["ldapUserCacheInvalidationInterval"].ToInt32());
        var session = Plain(host, "dave", SlapdServer.Password("dave"), "open-session");
        string[] readers = [$"{SlapdServer.PhiReaders}@admin", "read@patients"];
        Assert.Equal(readers, await RolesAsync(session));

        await slapd.RemoveMemberAsync(SlapdServer.PhiReaders, "dave");
        clock.Advance(TimeSpan.FromSeconds(29));

        // Before the interval: the open session and a new login (a bind, then the cached groups) keep the role.
        Assert.Equal(readers, await RolesAsync(session));
        Assert.Equal(1, await CountAsync(session));
        Assert.Equal(readers, await RolesAsync(Plain(host, "dave", SlapdServer.Password("dave"), "login-before")));

        clock.Advance(TimeSpan.FromSeconds(2));

        // After it: the open session's next command reads the groups again, and so does a new login.
        Assert.Empty(await RolesAsync(session));
        var refused = await Assert.ThrowsAsync<MongoCommandException>(() => CountAsync(session));
        Assert.Equal(13, refused.Code);
        Assert.Empty(await RolesAsync(Plain(host, "dave", SlapdServer.Password("dave"), "login-after")));
        // alice, still in the group, keeps the role.
        Assert.Equal(readers, await RolesAsync(Plain(host, "alice", SlapdServer.Password("alice"), "alice")));
    }

    [Fact]
    public async Task The_cache_interval_set_at_runtime_bounds_how_long_a_new_membership_waits()
    {
        var clock = new ManualClock();
        var host = await StartAsync(Yaml(), clock: clock);
        var admin = _h.ScramClient(host, "admin", "admin-password-1");
        var refused = await Assert.ThrowsAsync<MongoCommandException>(() =>
            SimHarness.RunAdmin(admin, new BsonDocument { { "setParameter", 1 }, { "ldapUserCacheInvalidationInterval", 0 } }));
        Assert.Equal(2, refused.Code); // 1..86400, as mongod's parameter
        await SimHarness.RunAdmin(admin, new BsonDocument { { "setParameter", 1 }, { "ldapUserCacheInvalidationInterval", 5 } });
        var session = Plain(host, "bob", SlapdServer.Password("bob"), "bob-session");
        Assert.Empty(await RolesAsync(session));

        await slapd.ModifyAsync($"""
            dn: {SlapdServer.PhiReaders}
            changetype: modify
            add: member
            member: {SlapdServer.UserDn("bob")}

            """);
        try
        {
            clock.Advance(TimeSpan.FromSeconds(4));
            Assert.Empty(await RolesAsync(session)); // the cached groups: none yet
            clock.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal([$"{SlapdServer.PhiReaders}@admin", "read@patients"], await RolesAsync(session));
        }
        finally
        {
            await slapd.RemoveMemberAsync(SlapdServer.PhiReaders, "bob"); // bob is in no group for the other tests
        }
    }

    private static async Task<List<string>> RolesAsync(IMongoClient client) =>
        Roles((await SimHarness.RunAdmin(client, new BsonDocument("connectionStatus", 1)))["authInfo"]["authenticatedUserRoles"]);

    private static async Task<long> CountAsync(IMongoClient client) =>
        await client.GetDatabase("patients").GetCollection<BsonDocument>("records")
            .CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_server_refuses_to_start_when_its_query_user_cannot_bind()
    {
        var e = await Assert.ThrowsAsync<MongodConfigException>(() => StartAsync(Yaml(queryPassword: "wrong-password-1")));

        Assert.Contains("Invalid credentials", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_refuses_to_start_when_the_directory_certificate_does_not_chain_to_TLS_CACERT()
    {
        // The member CA did not sign slapd's certificate: TLS_REQCERT demand must refuse it.
        var otherCa = Path.Combine(_h.Pki.Dir, "ldap-other.conf");
        await File.WriteAllTextAsync(otherCa, $"TLS_CACERT {_h.Pki.CaFile}\nTLS_REQCERT demand\n", TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<MongodConfigException>(() => StartAsync(Yaml(), ldapConf: otherCa));

        Assert.Contains("not trusted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_ldap_is_never_spoken_transportSecurity_none_refuses_the_start()
    {
        var e = await Assert.ThrowsAsync<MongodConfigException>(() => StartAsync(Yaml(transport: "none")));

        Assert.Contains("only over TLS", e.Message, StringComparison.Ordinal);
    }
}
