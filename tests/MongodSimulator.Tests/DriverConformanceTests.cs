using HipaaMongo.MongodSimulator.Auth;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Servers;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>The real MongoDB.Driver 3.x against the simulator: handshake, TLS, x.509, SCRAM, privileges (doc sections 2-4, 9).</summary>
public sealed class DriverConformanceTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private string Yaml => _h.TlsYaml() + """

        security:
          authorization: enabled
          clusterAuthMode: x509
        setParameter:
          enableLocalhostAuthBypass: false
          authenticationMechanisms: SCRAM-SHA-256,MONGODB-X509
        """;

    [Fact]
    public async Task X509_client_pings_and_connectionStatus_lists_its_rfc2253_subject_on_external()
    {
        var host = await _h.StartAsync(Yaml);
        var client = _h.X509Client(host);

        var ping = await SimHarness.RunAdmin(client, new BsonDocument("ping", 1));
        var status = await SimHarness.RunAdmin(client, new BsonDocument("connectionStatus", 1));

        Assert.Equal(1.0, ping["ok"].ToDouble());
        var users = status["authInfo"]["authenticatedUsers"].AsBsonArray;
        Assert.Equal(new BsonDocument { { "user", "CN=operator,OU=operators,O=HipaaMongo" }, { "db", "$external" } }, Assert.Single(users));
    }

    [Fact]
    public async Task Client_asking_for_zlib_compression_works_uncompressed_because_hello_never_offers_it()
    {
        var host = await _h.StartAsync(Yaml);
        var settings = MongoClientSettings.FromConnectionString($"mongodb://localhost:{host.Port}/?directConnection=true&tls=true&compressors=zlib");
        settings.SslSettings = new SslSettings { ClientCertificates = [_h.Pki.Operator], ServerCertificateValidationCallback = (_, _, _, _) => true };
        settings.Credential = MongoCredential.CreateMongoX509Credential();
        using var client = new MongoClient(settings);

        var hello = await SimHarness.RunAdmin(client, new BsonDocument("hello", 1));

        Assert.False(hello.Contains("compression"));
    }

    [Fact]
    public async Task Scram_sha_256_authenticates_and_a_wrong_password_fails_with_code_18()
    {
        var host = await _h.StartAsync(Yaml);

        var good = await SimHarness.RunAdmin(_h.ScramClient(host, "admin", "admin-password-1"), new BsonDocument("connectionStatus", 1));
        var bad = await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => SimHarness.RunAdmin(_h.ScramClient(host, "admin", "wrong"), new BsonDocument("ping", 1)));

        Assert.Equal("admin", good["authInfo"]["authenticatedUsers"][0]["user"].AsString);
        var inner = Assert.IsType<MongoCommandException>(bad.InnerException);
        Assert.Equal(18, inner.Code);
    }

    [Fact]
    public async Task Replica_set_member_is_ghost_before_initiate_and_primary_after()
    {
        var host = await _h.StartAsync(Yaml + "\nreplication:\n  replSetName: rs0\n");
        var client = _h.X509Client(host);
        await SimHarness.RunAdmin(client, new BsonDocument("ping", 1));
        Assert.Equal(ServerType.ReplicaSetGhost, client.Cluster.Description.Servers[0].Type);

        await SimHarness.RunAdmin(client, new BsonDocument("replSetInitiate", new BsonDocument()));
        var hello = await SimHarness.RunAdmin(client, new BsonDocument("hello", 1));

        Assert.True(hello["isWritablePrimary"].AsBoolean);
        Assert.Equal("rs0", hello["setName"].AsString);
        Assert.Equal(host.HostAndPort, hello["me"].AsString);
        var again = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(client, new BsonDocument("replSetInitiate", new BsonDocument())));
        Assert.Equal(23, again.Code);
    }

    [Fact]
    public async Task Least_privilege_verifier_reads_parameters_but_gets_13_for_setParameter()
    {
        var host = await _h.StartAsync(Yaml);
        var admin = _h.ScramClient(host, "admin", "admin-password-1");
        // The verifier role of secure-baseline.md 7.3.
        await SimHarness.RunAdmin(admin, BsonDocument.Parse("""
            { createRole: "phiConfigVerifier", roles: [], privileges: [
              { resource: { cluster: true }, actions: ["getCmdLineOpts", "getParameter", "serverStatus",
                "replSetGetStatus", "replSetGetConfig", "getDefaultRWConcern", "hostInfo"] },
              { resource: { db: "", collection: "" }, actions: ["viewUser", "viewRole"] } ] }
            """));
        await SimHarness.RunAdmin(admin, BsonDocument.Parse("{ createUser: 'verifier', pwd: 'verifier-pw-1', roles: ['phiConfigVerifier'] }"));
        var verifier = _h.ScramClient(host, "verifier", "verifier-pw-1");

        var read = await SimHarness.RunAdmin(verifier, BsonDocument.Parse("{ getParameter: 1, tlsMode: 1 }"));
        var denied = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(verifier, BsonDocument.Parse("{ setParameter: 1, redactClientLogData: false }")));
        var forAll = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(verifier, BsonDocument.Parse("{ usersInfo: { forAllDBs: true } }")));

        Assert.Equal("requireTLS", read["tlsMode"].AsString);
        Assert.Equal(13, denied.Code);
        Assert.StartsWith("not authorized on admin to execute command { setParameter: 1", denied.ErrorMessage);
        Assert.Equal(13, forAll.Code);
    }

    [Fact]
    public async Task Unauthenticated_and_wrong_database_and_unknown_commands_get_the_documented_errors()
    {
        var host = await _h.StartAsync(Yaml);
        var anonymous = _h.Client(host, _h.Pki.Operator, credential: null);
        var admin = _h.ScramClient(host, "admin", "admin-password-1");

        var noAuth = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(anonymous, BsonDocument.Parse("{ getParameter: 1, tlsMode: 1 }")));
        var wrongDb = await Assert.ThrowsAsync<MongoCommandException>(
            () => admin.GetDatabase("test").RunCommandAsync<BsonDocument>(new BsonDocument("getCmdLineOpts", 1), cancellationToken: TestContext.Current.CancellationToken));
        var unknown = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(admin, new BsonDocument("fooBar", 1)));

        Assert.Equal((13, "Command getParameter requires authentication"), (noAuth.Code, noAuth.ErrorMessage));
        Assert.Equal((13, "getCmdLineOpts may only be run against the admin database."), (wrongDb.Code, wrongDb.ErrorMessage));
        Assert.Equal((59, "CommandNotFound"), (unknown.Code, unknown.CodeName));
    }

    [Fact]
    public async Task Client_without_certificate_and_plaintext_client_are_refused_under_requireTLS()
    {
        var host = await _h.StartAsync(Yaml);
        var noCert = _h.Client(host, clientCert: null, credential: null, timeoutMs: 1500);
        var plain = _h.Client(host, clientCert: null, credential: null, tls: false, timeoutMs: 1500);
        var stranger = _h.Client(host, _h.Pki.Stranger, credential: null, timeoutMs: 1500);

        await Assert.ThrowsAsync<TimeoutException>(() => SimHarness.RunAdmin(noCert, new BsonDocument("ping", 1)));
        await Assert.ThrowsAsync<TimeoutException>(() => SimHarness.RunAdmin(plain, new BsonDocument("ping", 1)));
        await Assert.ThrowsAsync<TimeoutException>(() => SimHarness.RunAdmin(stranger, new BsonDocument("ping", 1)));
        var control = await SimHarness.RunAdmin(_h.X509Client(host), new BsonDocument("ping", 1));
        Assert.Equal(1.0, control["ok"].ToDouble());
    }

    [Fact]
    public async Task Member_certificate_authenticates_as_system_under_x509_cluster_auth()
    {
        var host = await _h.StartAsync(Yaml);
        var member = _h.X509Client(host, _h.Pki.Member);

        var status = await SimHarness.RunAdmin(member, new BsonDocument("connectionStatus", 1));

        Assert.Contains(status["authInfo"]["authenticatedUserRoles"].AsBsonArray, r => r["role"] == "__system");
    }

    [Fact]
    public async Task Speculative_x509_authentication_is_counted_in_serverStatus()
    {
        var host = await _h.StartAsync(Yaml);
        var client = _h.X509Client(host);

        var status = await SimHarness.RunAdmin(client, new BsonDocument("serverStatus", 1));

        var x509 = status["security"]["authentication"]["mechanisms"]["MONGODB-X509"];
        Assert.True(x509["speculativeAuthenticate"]["successful"].ToInt64() >= 1);
        Assert.Equal(TestPki.ServerSubject, status["security"]["SSLServerSubjectName"].AsString);
        Assert.Equal(_h.Pki.ServerNotAfter, status["security"]["SSLServerCertificateExpirationDate"].ToUniversalTime());
    }

    [Fact]
    public async Task Localhost_exception_allows_only_the_first_user_and_only_when_bypass_is_enabled()
    {
        var open = await _h.StartAsync(_h.TlsYaml() + "\nsecurity:\n  authorization: enabled\n", users: []);
        var closed = await _h.StartAsync(_h.TlsYaml() + "\nsecurity:\n  authorization: enabled\nsetParameter:\n  enableLocalhostAuthBypass: false\n", users: []);
        var first = BsonDocument.Parse("{ createUser: 'first', pwd: 'first-password-1', roles: ['root'] }");

        await SimHarness.RunAdmin(_h.Client(open, _h.Pki.Operator, null), first);
        var second = await Assert.ThrowsAsync<MongoCommandException>(() => SimHarness.RunAdmin(
            _h.Client(open, _h.Pki.Operator, null), BsonDocument.Parse("{ createUser: 'second', pwd: 'second-password-1', roles: [] }")));
        var refused = await Assert.ThrowsAsync<MongoCommandException>(() => SimHarness.RunAdmin(_h.Client(closed, _h.Pki.Operator, null), first));

        Assert.Equal(13, second.Code);
        Assert.Equal(13, refused.Code);
        Assert.NotNull(open.State.Users.FindUser("admin", "first"));
    }

    [Fact]
    public async Task Duplicate_user_is_51003_and_unknown_role_is_31()
    {
        var host = await _h.StartAsync(Yaml);
        var admin = _h.ScramClient(host, "admin", "admin-password-1");
        await SimHarness.RunAdmin(admin, BsonDocument.Parse("{ createUser: 'app', pwd: 'app-password-1', roles: [] }"));

        var dup = await Assert.ThrowsAsync<MongoCommandException>(() => SimHarness.RunAdmin(admin, BsonDocument.Parse("{ createUser: 'app', pwd: 'x-password-1', roles: [] }")));
        var role = await Assert.ThrowsAsync<MongoCommandException>(() => SimHarness.RunAdmin(admin, BsonDocument.Parse("{ createUser: 'b', pwd: 'x-password-1', roles: ['nope'] }")));

        Assert.Equal(51003, dup.Code);
        Assert.Equal("Location51003", dup.CodeName);
        Assert.Equal(31, role.Code);
    }
}
