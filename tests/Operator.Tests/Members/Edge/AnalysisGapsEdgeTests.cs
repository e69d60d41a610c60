using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Tests.Compliance;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Tests.Members.Edge;

/// <summary>
/// The five later readings through the real MongoMemberVerifier against simulated members: drift made over the
/// wire by an administrator (or out of band) is read, reported as uncorrectable, and left in place.
/// </summary>
[Trait(Tier.Name, Tier.Members)]
public sealed class AnalysisGapsEdgeTests : IAsyncDisposable
{
    private readonly MongoMemberVerifier _verifier = new(EdgeReplicaSet.FastOptions, TimeProvider.System);
    private readonly List<EdgeReplicaSet> _sets = [];
    private readonly List<string> _files = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _verifier.Dispose();
        foreach (var s in _sets)
        {
            await s.DisposeAsync();
        }

        foreach (var f in _files)
        {
            File.Delete(f);
        }
    }

    [Fact]
    public async Task Root_granted_to_the_operator_user_is_reported_fails_the_users_check_and_stays()
    {
        var set = await BootstrappedAsync(new EdgeReplicaSet());
        var dba = await DbaAsync(set);
        var grant = new BsonDocument
        {
            { "grantRolesToUser", set.Expected.OperatorUser },
            { "roles", new BsonArray { new BsonDocument { { "role", "root" }, { "db", "admin" } } } },
        };
        await EdgeReplicaSet.Admin(dba, grant, "$external");

        var result = await Verify(set, 0);
        var users = await EdgeReplicaSet.Admin(set.Client(0, set.Pki.Verifier), BsonDocument.Parse("{ usersInfo: { forAllDBs: true } }"));
        var check = ComplianceEvaluator.Evaluate(Observations.Passing().WithMember(p => p with
        {
            DeclaredUsersWithOtherGrants = result.Parameters!.DeclaredUsersWithOtherGrants,
        })).Check("declared-users");

        Assert.Contains(result.Uncorrectable, u => u.StartsWith($"declared user $external.{set.Expected.OperatorUser} holds", StringComparison.Ordinal)
            && u.Contains("root@admin", StringComparison.Ordinal));
        Assert.Equal([$"$external.{set.Expected.OperatorUser}"], result.Parameters!.DeclaredUsersWithOtherGrants);
        Assert.Equal(Outcome.Fail, check.Outcome);
        var op = users["users"].AsBsonArray.Single(u => u["user"] == set.Expected.OperatorUser);
        Assert.Contains(op["roles"].AsBsonArray, r => r["role"] == "root");
    }

    [Fact]
    public async Task Custom_roles_in_other_databases_are_found_by_listing_and_by_grants()
    {
        var set = await BootstrappedAsync(new EdgeReplicaSet());
        var dba = await DbaAsync(set);
        await EdgeReplicaSet.Admin(dba, BsonDocument.Parse("{ createRole: 'associate', privileges: [], roles: [ { role: 'readWrite', db: 'products' } ] }"), "products");
        set.Hosts[0]!.Drift.AddDatabase("products");
        // hr holds no data (listDatabases does not name it); its role is found through the user holding it.
        await EdgeReplicaSet.Admin(dba, BsonDocument.Parse("{ createRole: 'payroll', privileges: [], roles: [ { role: 'read', db: 'hr' } ] }"), "hr");
        await EdgeReplicaSet.Admin(dba, BsonDocument.Parse("{ createUser: 'clerk', pwd: 'clerk-password-1', roles: [ { role: 'payroll', db: 'hr' } ] }"));

        var result = await Verify(set, 0);

        Assert.Contains("custom role products.associate inherits readWrite, outside the declared set", result.Uncorrectable);
        Assert.Contains("custom role hr.payroll inherits read, outside the declared set", result.Uncorrectable);
        Assert.Equal(["hr.payroll", "products.associate"], result.Parameters!.RolesOutsideDeclaredSet);
    }

    [Fact]
    public async Task A_reconfigured_host_outside_the_certificate_names_is_reported_and_not_reverted()
    {
        var set = await BootstrappedAsync(new EdgeReplicaSet());
        var before = await Verify(set, 0);
        var dba = await DbaAsync(set);
        var config = (await EdgeReplicaSet.Admin(dba, new BsonDocument("replSetGetConfig", 1)))["config"].AsBsonDocument;
        config["version"] = config["version"].ToInt32() + 1;
        config["members"][2]["host"] = "10.0.0.7:27017";
        await EdgeReplicaSet.Admin(dba, new BsonDocument("replSetReconfig", config));

        var after = await Verify(set, 0);
        var now = (await EdgeReplicaSet.Admin(set.Client(0, set.Pki.Verifier), new BsonDocument("replSetGetConfig", 1)))["config"];

        Assert.Equal([], before.Parameters!.ReplicaHostsOutsideCertificates);
        Assert.DoesNotContain(before.Uncorrectable, u => u.StartsWith("replica-set config", StringComparison.Ordinal));
        Assert.Equal(["10.0.0.7:27017"], after.Parameters!.ReplicaHostsOutsideCertificates);
        Assert.Contains(after.Uncorrectable, u => u.StartsWith("replica-set config lists member host '10.0.0.7:27017'", StringComparison.Ordinal));
        Assert.Equal("10.0.0.7:27017", now["members"][2]["host"].AsString);
    }

    [Fact]
    public async Task A_runtime_audit_filter_other_than_the_rendered_one_is_reported_and_the_rendered_one_is_not()
    {
        var rendered = (string)Analysis.Snapshots.Rendered(Analysis.Snapshots.Expect(), "auditLog.filter");
        var unfiltered = await BootstrappedAsync(new EdgeReplicaSet(), count: 1);
        var filtered = await BootstrappedAsync(new EdgeReplicaSet(auditLog: [$"filter: '{rendered}'"]), count: 1);

        var drifted = await Verify(unfiltered, 0);
        var clean = await Verify(filtered, 0);

        Assert.Contains(drifted.Uncorrectable, u => u.StartsWith("runtime audit filter (getClusterParameter auditConfig)", StringComparison.Ordinal));
        Assert.Equal(["filter"], drifted.Parameters!.RuntimeAuditDifferences);
        Assert.DoesNotContain(clean.Uncorrectable, u => u.StartsWith("runtime audit", StringComparison.Ordinal));
        Assert.Equal([], clean.Parameters!.RuntimeAuditDifferences);
    }

    [Fact]
    public async Task A_percona_member_with_a_local_key_file_is_reported_without_the_key_id()
    {
        var key = Path.GetTempFileName();
        _files.Add(key);
        await File.WriteAllTextAsync(key, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), Ct);
        var set = await BootstrappedAsync(new EdgeReplicaSet(Edition.Psmdb, "8.0.12-4",
            security: ["enableEncryption: true", $"encryptionKeyFile: {key}", "encryptionCipherMode: AES256-GCM"]), count: 1);

        var result = await Verify(set, 0);

        Assert.Contains(result.Uncorrectable, u => u.StartsWith("serverStatus.encryptionAtRest reports a local key file as the master key", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Uncorrectable, u => u.Contains("encryptionKeyId", StringComparison.Ordinal) || u.Contains("'local'", StringComparison.Ordinal));
        Assert.True(result.Parameters!.EncryptionEnabled);
        Assert.Equal("", result.Parameters.KmipKeyId);
    }

    [Fact]
    public async Task A_verification_asks_nothing_it_is_not_allowed_so_the_audit_log_shows_no_denial()
    {
        var set = await BootstrappedAsync(new EdgeReplicaSet(), count: 1);
        set.Hosts[0]!.Drift.AddDatabase("products");
        var before = Denials(set);

        var result = await Verify(set, 0);

        Assert.True(result.Reachable, result.Failure);
        Assert.NotNull(result.Parameters?.RolesOutsideDeclaredSet);
        Assert.Equal(before, Denials(set));
    }

    // authCheck events with result 13 (Unauthorized) in the member's audit log (the mongo audit schema).
    private static List<string> Denials(EdgeReplicaSet set) =>
        [.. set.AuditEvents(0).Where(e => e["atype"] == "authCheck" && e.GetValue("result", 0).ToInt32() == 13).Select(e => e.ToJson())];

    private async Task<EdgeReplicaSet> BootstrappedAsync(EdgeReplicaSet set, int count = 3)
    {
        _sets.Add(set);
        await set.StartAsync(count);
        var result = await _verifier.EnsureBootstrappedAsync(set.Target, set.Expected, set.Credentials, Ct);
        Assert.True(result.State == BootstrapState.Bootstrapped, $"{result.State}: {result.Message}");
        return set;
    }

    private Task<MemberVerification> Verify(EdgeReplicaSet set, int i) => new MemberActuator(_verifier).VerifyAsync(set.Members[i], set.Expected, set.Credentials, Ct);

    // A root SCRAM user made with the member (__system) identity on the primary: "an admin" working over the wire.
    private static async Task<IMongoClient> DbaAsync(EdgeReplicaSet set)
    {
        var system = set.Client(0, set.MemberCertificate);
        await EdgeReplicaSet.Admin(system, BsonDocument.Parse("{ createUser: 'dba', pwd: 'dba-password-1', roles: [ 'root' ] }"));
        return set.Client(0, set.MemberCertificate, MongoCredential.CreateCredential("admin", "dba", "dba-password-1"));
    }
}
