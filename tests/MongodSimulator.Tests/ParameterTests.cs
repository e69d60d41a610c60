using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>getParameter, setParameter and getCmdLineOpts shapes and rules (doc sections 5 and 6).</summary>
public sealed class ParameterTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private string Yaml(string mode = "requireTLS") => _h.TlsYaml(mode) + """

        security:
          authorization: enabled
          clusterAuthMode: x509
          redactClientLogData: true
          ldap:
            servers: ldap.example.com
            # No directory answers for ldap.example.com: without this, mongod (and the simulator) refuse to start.
            validateLDAPServerConfig: false
            bind:
              queryUser: cn=q
              queryPassword: super-secret
        setParameter:
          enableLocalhostAuthBypass: false
          authenticationMechanisms: SCRAM-SHA-256,MONGODB-X509
          auditAuthorizationSuccess: false
        """;

    [Fact]
    public async Task GetParameter_skips_unknown_names_and_fails_72_only_when_none_match()
    {
        var client = _h.X509Client(await _h.StartAsync(Yaml()));

        var some = await SimHarness.RunAdmin(client, BsonDocument.Parse("{ getParameter: 1, tlsMode: 1, nope: 1 }"));
        var none = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(client, BsonDocument.Parse("{ getParameter: 1, nope: 1 }")));

        Assert.Equal("requireTLS", some["tlsMode"].AsString);
        Assert.False(some.Contains("nope"));
        Assert.Equal((72, "no option found to get"), (none.Code, none.ErrorMessage));
    }

    [Fact]
    public async Task GetParameter_batched_star_and_showDetails_shapes()
    {
        var client = _h.X509Client(await _h.StartAsync(Yaml()));

        var batched = await SimHarness.RunAdmin(client, BsonDocument.Parse(
            "{ getParameter: 1, tlsMode: 1, clusterAuthMode: 1, authenticationMechanisms: 1, enableLocalhostAuthBypass: 1, redactClientLogData: 1 }"));
        var star = await SimHarness.RunAdmin(client, BsonDocument.Parse("{ getParameter: '*' }"));
        var details = await SimHarness.RunAdmin(client, BsonDocument.Parse("{ getParameter: { showDetails: true }, tlsMode: 1 }"));

        Assert.Equal("x509", batched["clusterAuthMode"].AsString);
        Assert.Equal(new BsonArray { "SCRAM-SHA-256", "MONGODB-X509" }, batched["authenticationMechanisms"]);
        Assert.False(batched["enableLocalhostAuthBypass"].AsBoolean);
        Assert.True(batched["redactClientLogData"].AsBoolean);
        Assert.True(star.Contains("scramSHA256IterationCount"));
        Assert.Equal(new BsonDocument { { "value", "requireTLS" }, { "settableAtRuntime", true }, { "settableAtStartup", false } }, details["tlsMode"]);
    }

    [Fact]
    public async Task GetCmdLineOpts_reports_the_file_as_parsed_with_string_setParameters_and_redaction()
    {
        var host = await _h.StartAsync(Yaml());
        var reply = await SimHarness.RunAdmin(_h.X509Client(host), new BsonDocument("getCmdLineOpts", 1));

        var parsed = reply["parsed"].AsBsonDocument;
        Assert.Equal("mongod", reply["argv"][0].AsString);
        Assert.Equal("--config", reply["argv"][1].AsString);
        Assert.Equal(parsed["config"], reply["argv"][2]);
        Assert.Equal("requireTLS", parsed["net"]["tls"]["mode"].AsString);
        Assert.Equal("TLS1_0,TLS1_1", parsed["net"]["tls"]["disabledProtocols"].AsString);
        Assert.False(parsed["net"]["tls"]["allowConnectionsWithoutCertificates"].AsBoolean);
        Assert.IsType<BsonInt32>(parsed["net"]["port"]);
        Assert.Equal(new BsonString("false"), parsed["setParameter"]["enableLocalhostAuthBypass"]);
        Assert.Equal("<password>", parsed["security"]["ldap"]["bind"]["queryPassword"].AsString);
        Assert.False(parsed.Contains("storage"), "only options given appear, no defaults");
    }

    [Fact]
    public async Task SetParameter_enforces_tlsMode_transitions_and_startup_only_parameters()
    {
        var strict = _h.ScramClient(await _h.StartAsync(Yaml()), "admin", "admin-password-1");
        var down = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(strict, BsonDocument.Parse("{ setParameter: 1, tlsMode: 'preferTLS' }")));
        var startupOnly = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(strict, BsonDocument.Parse("{ setParameter: 1, enableLocalhostAuthBypass: true }")));
        var unknown = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(strict, BsonDocument.Parse("{ setParameter: 1, nope: 1 }")));

        var prefer = _h.ScramClient(await _h.StartAsync(Yaml("preferTLS")), "admin", "admin-password-1");
        var up = await SimHarness.RunAdmin(prefer, BsonDocument.Parse("{ setParameter: 1, tlsMode: 'requireTLS' }"));
        var now = await SimHarness.RunAdmin(prefer, BsonDocument.Parse("{ getParameter: 1, tlsMode: 1 }"));

        Assert.Equal(2, down.Code);
        Assert.Equal("Illegal state transition for tlsMode, attempt to change from requireTLS to preferTLS", down.ErrorMessage);
        Assert.Equal((20, "not allowed to change [enableLocalhostAuthBypass] at runtime"), (startupOnly.Code, startupOnly.ErrorMessage));
        Assert.Equal(72, unknown.Code);
        Assert.Equal("preferTLS", up["was"].AsString);
        Assert.Equal("requireTLS", now["tlsMode"].AsString);
    }

    [Fact]
    public async Task Drift_through_the_command_a_person_would_use_is_visible_to_the_verifier()
    {
        var host = await _h.StartAsync(Yaml());
        var admin = _h.ScramClient(host, "admin", "admin-password-1");

        var set = await SimHarness.RunAdmin(admin, BsonDocument.Parse("{ setParameter: 1, redactClientLogData: false }"));
        var read = await SimHarness.RunAdmin(_h.X509Client(host), BsonDocument.Parse("{ getParameter: 1, redactClientLogData: 1 }"));
        var badIterations = await Assert.ThrowsAsync<MongoCommandException>(
            () => SimHarness.RunAdmin(admin, BsonDocument.Parse("{ setParameter: 1, scramSHA256IterationCount: 4999 }")));

        Assert.True(set["was"].AsBoolean);
        Assert.False(read["redactClientLogData"].AsBoolean);
        Assert.Equal(2, badIterations.Code);
    }

    [Fact]
    public async Task Community_edition_does_not_know_enterprise_parameters()
    {
        var yaml = _h.TlsYaml() + "\nsecurity:\n  authorization: enabled\n";
        var client = _h.X509Client(await _h.StartAsync(yaml, edition: Config.Edition.Community));

        var reply = await SimHarness.RunAdmin(client, BsonDocument.Parse("{ getParameter: 1, tlsMode: 1, redactClientLogData: 1 }"));

        Assert.False(reply.Contains("redactClientLogData"));
    }
}
