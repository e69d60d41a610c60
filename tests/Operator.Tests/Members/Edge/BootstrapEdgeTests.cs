using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Bootstrap;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Tests.Members.Edge;

/// <summary>EnsureBootstrappedAsync against three simulated members with the localhost exception off.</summary>
[Trait(Tier.Name, Tier.Members)]
public sealed class BootstrapEdgeTests : IAsyncLifetime
{
    private readonly EdgeReplicaSet _set = new();
    private readonly MongoMemberVerifier _verifier = new(EdgeReplicaSet.FastOptions, TimeProvider.System);

    public ValueTask InitializeAsync() => new(_set.StartAsync());

    public async ValueTask DisposeAsync()
    {
        _verifier.Dispose();
        await _set.DisposeAsync();
    }

    private Task<BootstrapResult> BootstrapAsync() =>
        _verifier.EnsureBootstrappedAsync(_set.Target, _set.Expected, _set.Credentials, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_fresh_set_is_initiated_with_the_dns_names_and_both_identities_authenticate_everywhere()
    {
        var result = await BootstrapAsync();

        Assert.Equal(BootstrapState.Bootstrapped, result.State);
        var config = (await EdgeReplicaSet.Admin(_set.Client(1, _set.Pki.Verifier), new BsonDocument("replSetGetConfig", 1)))["config"];
        Assert.Equal(_set.Expected.ReplicaSetName, config["_id"].AsString);
        Assert.Equal(_set.Members.Select(m => $"{m.ExpectedDnsName}:{m.Port}"), config["members"].AsBsonArray.Select(m => m["host"].AsString));
        for (var i = 0; i < 3; i++)
        {
            foreach (var (cert, subject) in new[] { (_set.Pki.Operator, _set.Expected.OperatorUser), (_set.Pki.Verifier, _set.Expected.VerifierUser) })
            {
                var status = await EdgeReplicaSet.Admin(_set.Client(i, cert), new BsonDocument("connectionStatus", 1));
                var user = Assert.Single(status["authInfo"]["authenticatedUsers"].AsBsonArray);
                Assert.Equal((subject, "$external"), (user["user"].AsString, user["db"].AsString));
            }
        }
    }

    [Fact]
    public async Task A_second_call_is_already_done_and_writes_nothing()
    {
        Assert.Equal(BootstrapState.Bootstrapped, (await BootstrapAsync()).State);
        string[] writes = ["createUser", "createRole", "dropUser", "updateUser", "grantRolesToUser", "replSetReconfig", "updateRole"];
        var before = Enumerable.Range(0, 3).Select(i => _set.AuditCount(i, writes)).ToList();
        var memberAuthsBefore = AuthenticationsAsSystem();

        var second = await BootstrapAsync();

        Assert.Equal(BootstrapState.AlreadyDone, second.State);
        Assert.Equal(before, Enumerable.Range(0, 3).Select(i => _set.AuditCount(i, writes)));
        Assert.Equal(memberAuthsBefore, AuthenticationsAsSystem());
        Assert.True(before[0] >= 4, $"the first bootstrap should have audited its creates on the primary, saw {before[0]}");
    }

    // A set bootstrapped before the operator role gained replSetConfigure, replSetStateChange and changePassword keeps
    // the old role (createRole only runs for a missing role): the verification pass brings it to the render.
    [Fact]
    public async Task A_set_bootstrapped_with_an_older_operator_role_gets_the_rendered_privileges_once()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(BootstrapState.Bootstrapped, (await BootstrapAsync()).State);
        var asSystem = _set.Client(0, _set.MemberCertificate);
        await EdgeReplicaSet.Admin(asSystem, BsonDocument.Parse("""
            { updateRole: "hipaaMongoOperator", roles: [], privileges: [
              { resource: { cluster: true }, actions: ["setParameter", "rotateCertificates", "listDatabases"] },
              { resource: { db: "", collection: "" }, actions: ["enableProfiler", "createUser", "dropUser", "createRole", "dropRole",
                "grantRole", "revokeRole", "viewUser", "viewRole"] } ] }
            """));
        var old = await RoleAsync(asSystem);
        Assert.NotNull(MemberRoles.UpdateToRender(MemberRoles.OperatorAdminRole(), old));

        var updated = await _verifier.EnsureRolesAsync(_set.Target, _set.Expected, _set.Credentials, ct);

        Assert.Equal(BootstrapState.Bootstrapped, updated.State);
        Assert.Contains("updated role hipaaMongoOperator", updated.Message, StringComparison.Ordinal);
        Assert.Null(MemberRoles.UpdateToRender(MemberRoles.OperatorAdminRole(), await RoleAsync(asSystem)));
        var audited = _set.AuditCount(0, ["updateRole"]);
        Assert.Equal(BootstrapState.AlreadyDone, (await _verifier.EnsureRolesAsync(_set.Target, _set.Expected, _set.Credentials, ct)).State);
        Assert.Equal(audited, _set.AuditCount(0, ["updateRole"]));
    }

    private static async Task<BsonDocument> RoleAsync(IMongoClient client) =>
        (await EdgeReplicaSet.Admin(client, BsonDocument.Parse("{ rolesInfo: 'hipaaMongoOperator', showPrivileges: true }")))["roles"].AsBsonArray.Single().AsBsonDocument;

    [Fact]
    public async Task The_verifier_can_run_every_read_but_cannot_set_parameters_or_read_data()
    {
        Assert.Equal(BootstrapState.Bootstrapped, (await BootstrapAsync()).State);
        var verifier = _set.Client(1, _set.Pki.Verifier);
        BsonDocument[] reads =
        [
            new("getCmdLineOpts", 1),
            new() { { "getParameter", 1 }, { "tlsMode", 1 }, { "redactClientLogData", 1 } },
            new("serverStatus", 1),
            new("replSetGetStatus", 1),
            new("usersInfo", new BsonDocument("forAllDBs", true)),
            new() { { "rolesInfo", 1 }, { "showPrivileges", true }, { "showBuiltinRoles", false } },
            new("getClusterParameter", "auditConfig"),
        ];

        foreach (var read in reads)
        {
            Assert.Equal(1.0, (await EdgeReplicaSet.Admin(verifier, read))["ok"].ToDouble());
        }

        var set = await Assert.ThrowsAsync<MongoCommandException>(() => EdgeReplicaSet.Admin(verifier, BsonDocument.Parse("{ setParameter: 1, redactClientLogData: false }")));
        var profile = await Assert.ThrowsAsync<MongoCommandException>(() => EdgeReplicaSet.Admin(verifier, new BsonDocument("profile", -1), "clinical"));
        var privileges = (await EdgeReplicaSet.Admin(verifier, BsonDocument.Parse("{ connectionStatus: 1, showPrivileges: true }")))["authInfo"]["authenticatedUserPrivileges"].AsBsonArray;

        Assert.Equal((13, 13), (set.Code, profile.Code));
        Assert.DoesNotContain(privileges.SelectMany(p => p["actions"].AsBsonArray), a => a.AsString is "find" or "anyAction" or "setParameter");
    }

    [Fact]
    public async Task Once_the_operator_user_exists_the_member_certificate_is_not_needed()
    {
        Assert.Equal(BootstrapState.Bootstrapped, (await BootstrapAsync()).State);
        var withoutMember = new MemberCredentials(new X509Certificate2Collection(_set.Pki.Ca), _set.Pki.Operator, _set.Pki.Verifier, null);

        var second = await _verifier.EnsureBootstrappedAsync(_set.Target, _set.Expected, withoutMember, TestContext.Current.CancellationToken);

        Assert.Equal(BootstrapState.AlreadyDone, second.State);
    }

    [Fact]
    public async Task A_certificate_that_is_not_a_member_certificate_fails_bootstrap_and_initiates_nothing()
    {
        // Same CA, but the operator's OU: not cluster membership, and no $external user of that name exists yet.
        var notAMember = new MemberCredentials(new X509Certificate2Collection(_set.Pki.Ca), _set.Pki.Operator, _set.Pki.Verifier, _set.Pki.Verifier);

        var result = await _verifier.EnsureBootstrappedAsync(_set.Target, _set.Expected, notAMember, TestContext.Current.CancellationToken);
        var hello = await EdgeReplicaSet.Admin(_set.Client(0, _set.MemberCertificate), new BsonDocument("hello", 1));

        Assert.Equal(BootstrapState.Failed, result.State);
        Assert.StartsWith("user missing: ", result.Message, StringComparison.Ordinal); // UserNotFound, as mongod answers it
        Assert.False(hello.Contains("setName"));
    }

    [Fact]
    public async Task A_member_that_is_down_makes_bootstrap_wait_with_its_name()
    {
        await _set.StopAsync(2);

        var result = await BootstrapAsync();

        Assert.Equal(BootstrapState.Waiting, result.State);
        Assert.Contains("phi-db-2", result.Message);
    }

    // Once the operator user exists, the member certificate (authenticating as __system) is never used again.
    private int AuthenticationsAsSystem() => Enumerable.Range(0, 3)
        .Sum(i => _set.AuditEvents(i).Count(d => d["atype"] == "authenticate" && d["param"]["user"] == "__system"));
}
