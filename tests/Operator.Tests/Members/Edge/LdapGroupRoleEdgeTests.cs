using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Verification;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Tests.Members.Edge;

/// <summary>
/// The roles spec.ldap.groupRoleMappings declares, through the real MongoMemberVerifier against simulated members:
/// the primary's verification creates them as the operator, a role widened or dropped over the wire by an
/// administrator is put back on the next verification, and a secondary plans nothing (role writes go to the primary).
/// </summary>
[Trait(Tier.Name, Tier.Members)]
public sealed class LdapGroupRoleEdgeTests : IAsyncDisposable
{
    private const string Readers = "cn=phi-readers,ou=groups,dc=example,dc=org";

    private readonly MongoMemberVerifier _verifier = new(EdgeReplicaSet.FastOptions, TimeProvider.System);
    private readonly EdgeReplicaSet _set = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _verifier.Dispose();
        await _set.DisposeAsync();
    }

    [Fact]
    public async Task The_primary_creates_the_group_role_and_puts_it_back_after_it_is_widened_or_dropped()
    {
        await _set.StartAsync(3);
        var boot = await _verifier.EnsureBootstrappedAsync(_set.Target, _set.Expected, _set.Credentials, Ct);
        Assert.True(boot.State == BootstrapState.Bootstrapped, $"{boot.State}: {boot.Message}");
        var expected = _set.Expected with { LdapGroupRoles = [new LdapGroupRoleModel(Readers, [new RoleRef("read", "patients")])] };
        var primary = await PrimaryAsync(expected);

        var created = await VerifyAsync(primary, expected);
        var settled = await VerifyAsync(primary, expected);

        var create = Assert.Single(Ldap(created));
        Assert.True(create.Applied, create.Error);
        Assert.Equal(($"LDAP group role {Readers}", "absent"), (create.Setting, create.Found));
        Assert.Equal("[{ \"role\" : \"read\", \"db\" : \"patients\" }]", (await RoleAsync(primary))!["roles"].ToJson());
        Assert.Empty(Ldap(settled));
        Assert.DoesNotContain(settled.Uncorrectable, u => u.Contains(Readers, StringComparison.Ordinal));

        var dba = await DbaAsync(primary);
        await EdgeReplicaSet.Admin(dba, BsonDocument.Parse($$"""
            { updateRole: '{{Readers}}', roles: [ { role: 'read', db: 'patients' }, { role: 'readWrite', db: 'patients' } ],
              privileges: [ { resource: { db: 'patients', collection: '' }, actions: [ 'remove' ] } ] }
            """));
        var widened = await VerifyAsync(primary, expected);
        var afterWiden = await RoleAsync(primary);

        var update = Assert.Single(Ldap(widened));
        Assert.True(update.Applied, update.Error);
        Assert.Equal("inherits read@patients, readWrite@patients and grants 1 privilege(s) of its own", update.Found);
        Assert.Equal("[{ \"role\" : \"read\", \"db\" : \"patients\" }]", afterWiden!["roles"].ToJson());
        Assert.Empty(afterWiden["privileges"].AsBsonArray);

        await EdgeReplicaSet.Admin(dba, new BsonDocument("dropRole", Readers));
        var secondary = _set.Members.First(m => m.PodName != primary.PodName);
        var onSecondary = await new MemberActuator(_verifier).VerifyAsync(secondary, expected, _set.Credentials, Ct);
        var dropped = await VerifyAsync(primary, expected);

        Assert.True(onSecondary.Reachable, onSecondary.Failure);
        Assert.Empty(Ldap(onSecondary));
        var recreate = Assert.Single(Ldap(dropped));
        Assert.True(recreate.Applied, recreate.Error);
        Assert.Equal("absent", recreate.Found);
        Assert.NotNull(await RoleAsync(primary));
    }

    private async Task<MemberTarget> PrimaryAsync(MemberExpectations expected)
    {
        foreach (var m in _set.Members)
        {
            var hello = await EdgeReplicaSet.Admin(_set.Client(_set.Members.IndexOf(m), _set.Pki.Verifier), new BsonDocument("hello", 1));
            if (hello.GetValue("isWritablePrimary", false).ToBoolean())
            {
                return m;
            }
        }

        throw new InvalidOperationException($"no primary among {_set.Members.Count} members for {expected.ReplicaSetName}");
    }

    // The edge members start with other runtime drift (redactClientLogData) that is corrected too; only the role counts here.
    private static List<RuntimeCorrection> Ldap(MemberVerification v) =>
        [.. v.Corrections.Where(c => c.Setting.StartsWith(Operator.Members.Analysis.LdapGroupRoles.SettingPrefix, StringComparison.Ordinal))];

    private Task<MemberVerification> VerifyAsync(MemberTarget member, MemberExpectations expected) =>
        new MemberActuator(_verifier).VerifyAsync(member, expected, _set.Credentials, Ct);

    // The group role as the verifier reads it on the primary, or null when it does not exist.
    private async Task<BsonDocument?> RoleAsync(MemberTarget member)
    {
        var reply = await EdgeReplicaSet.Admin(_set.Client(_set.Members.IndexOf(member), _set.Pki.Verifier),
            new BsonDocument { { "rolesInfo", new BsonDocument { { "role", Readers }, { "db", "admin" } } }, { "showPrivileges", true } });
        return reply["roles"].AsBsonArray.OfType<BsonDocument>().FirstOrDefault();
    }

    // A root SCRAM user made with the member (__system) identity on the primary: "an admin" working over the wire.
    private async Task<IMongoClient> DbaAsync(MemberTarget primary)
    {
        var i = _set.Members.IndexOf(primary);
        await EdgeReplicaSet.Admin(_set.Client(i, _set.MemberCertificate), BsonDocument.Parse("{ createUser: 'dba', pwd: 'dba-password-1', roles: [ 'root' ] }"));
        return _set.Client(i, _set.MemberCertificate, MongoCredential.CreateCredential("admin", "dba", "dba-password-1"));
    }
}
