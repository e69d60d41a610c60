using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Tests.Baseline;
using k8s;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

/// <summary>
/// The admin roles spec.ldap.groupRoleMappings declares, judged on the primary's rolesInfo (showPrivileges): absent
/// ones are created, changed ones (another inherited role, one missing, a privilege of their own) are put back with
/// updateRole, and a role as declared, a secondary, or a reply not read plans nothing.
/// </summary>
public sealed class LdapGroupRoleTests
{
    private const string Readers = "cn=phi-readers,ou=groups,dc=example,dc=org";
    private const string Billing = "cn=billing,ou=groups,dc=example,dc=org";

    private static readonly MemberExpectations Expected = Snapshots.Expect(Models.WithLdap() with
    {
        Ldap = Models.WithLdap().Ldap! with
        {
            AuthzQueryTemplate = "{USER}?memberOf?base",
            GroupRoles =
            [
                new LdapGroupRoleModel(Readers, [new RoleRef("read", "patients")]),
                new LdapGroupRoleModel(Billing, [new RoleRef("read", "billing"), new RoleRef("readWrite", "invoices")]),
            ],
        },
    });

    [Fact]
    public void The_expectations_carry_the_mapped_roles_from_the_spec()
    {
        var sample = YamlJson.Single(File.ReadAllText(Path.Combine(TestPaths.SamplesDir, "hipaa_v1alpha1_hipaamongo_percona_ldap_kmip.yaml")));
        var resource = KubernetesJson.Deserialize<HipaaMongoResource>(sample.ToJsonString());

        var roles = Snapshots.Expect(BaselineModelMapper.Map(resource)).LdapGroupRoles;

        var only = Assert.Single(roles);
        Assert.Equal(Readers, only.Group);
        Assert.Equal([new RoleRef("read", "patients")], only.Roles);
    }

    [Fact]
    public void Absent_roles_are_created_in_admin_with_the_mapped_roles_and_no_privileges()
    {
        var a = MemberAnalyzer.Analyze(Snapshots.Hardened(Expected), Expected);

        var creates = a.Corrections.Where(c => c.Setting.StartsWith(LdapGroupRoles.SettingPrefix, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"LDAP group role {Readers}", $"LDAP group role {Billing}"], creates.Select(c => c.Setting));
        Assert.All(creates, c => Assert.Equal(("absent", "admin"), (c.Found, c.Database)));
        Assert.Equal("inherits read@billing, readWrite@invoices", creates[1].Desired);
        Assert.Equal(BsonDocument.Parse($$"""
            { createRole: "{{Billing}}", privileges: [], roles: [ { role: "read", db: "billing" }, { role: "readWrite", db: "invoices" } ],
              writeConcern: { w: "majority", wtimeout: 15000 } }
            """), creates[1].Command);
        Assert.Empty(a.Uncorrectable);
    }

    [Fact]
    public void Roles_as_declared_plan_nothing_and_are_not_outside_the_declared_set()
    {
        var a = MemberAnalyzer.Analyze(WithRoles(Role(Readers, "[ { role: 'read', db: 'patients' } ]"),
            Role(Billing, "[ { role: 'readWrite', db: 'invoices' }, { role: 'read', db: 'billing' } ]")), Expected);

        Assert.Empty(a.Corrections);
        Assert.Empty(a.Uncorrectable);
        Assert.Equal([], a.Parameters.RolesOutsideDeclaredSet);
    }

    [Theory]
    [InlineData("[ { role: 'read', db: 'patients' }, { role: 'readWrite', db: 'patients' } ]", "[]", "inherits read@patients, readWrite@patients")]
    [InlineData("[ { role: 'root', db: 'admin' } ]", "[]", "inherits root@admin")]
    [InlineData("[]", "[]", "inherits no role")]
    [InlineData("[ { role: 'read', db: 'patients' } ]", "[ { resource: { db: 'patients', collection: '' }, actions: [ 'remove' ] } ]",
        "inherits read@patients and grants 1 privilege(s) of its own")]
    public void A_role_changed_out_of_band_is_put_back_with_updateRole(string inherits, string privileges, string found)
    {
        var a = MemberAnalyzer.Analyze(WithRoles(Role(Readers, inherits, privileges),
            Role(Billing, "[ { role: 'read', db: 'billing' }, { role: 'readWrite', db: 'invoices' } ]")), Expected);

        var update = Assert.Single(a.Corrections);
        Assert.Equal(($"LDAP group role {Readers}", found, "inherits read@patients"), (update.Setting, update.Found, update.Desired));
        Assert.Equal(BsonDocument.Parse($$"""
            { updateRole: "{{Readers}}", privileges: [], roles: [ { role: "read", db: "patients" } ], writeConcern: { w: "majority", wtimeout: 15000 } }
            """), update.Command);
    }

    [Fact]
    public void A_secondary_plans_nothing_the_primary_writes_roles()
    {
        var secondary = Snapshots.Hardened(Expected) with
        {
            ReplSetStatus = BsonDocument.Parse("{ myState: 2, members: [ { _id: 1, health: 1, state: 2, self: true } ], ok: 1 }"),
        };

        var a = MemberAnalyzer.Analyze(secondary, Expected);

        Assert.DoesNotContain(a.Corrections, c => c.Setting.StartsWith(LdapGroupRoles.SettingPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Roles_not_read_or_read_without_privileges_are_never_rewritten_on_a_guess()
    {
        var notRead = MemberAnalyzer.Analyze(Snapshots.Hardened(Expected) with { RolesInfo = null }, Expected);
        var noPrivileges = Snapshots.Hardened(Expected);
        noPrivileges.RolesInfo!["roles"].AsBsonArray.Add(BsonDocument.Parse($"{{ role: '{Readers}', db: 'admin', roles: [] }}"));
        noPrivileges.RolesInfo["roles"].AsBsonArray.Add(BsonDocument.Parse($"{{ role: '{Billing}', db: 'admin', roles: [] }}"));

        Assert.Empty(notRead.Corrections);
        Assert.Empty(MemberAnalyzer.Analyze(noPrivileges, Expected).Corrections);
    }

    [Fact]
    public void A_role_of_that_name_in_another_database_is_not_the_group_role()
    {
        var s = WithRoles(Role(Billing, "[ { role: 'read', db: 'billing' }, { role: 'readWrite', db: 'invoices' } ]"));
        s.RolesInfo!["roles"].AsBsonArray.Add(BsonDocument.Parse($"{{ role: '{Readers}', db: 'patients', privileges: [], roles: [] }}"));

        var a = MemberAnalyzer.Analyze(s, Expected);

        var create = Assert.Single(a.Corrections);
        Assert.Equal("absent", create.Found);
    }

    [Fact]
    public void Without_mappings_nothing_is_planned_and_a_group_named_role_is_outside_the_declared_set()
    {
        var plain = Snapshots.Expect(Models.WithLdap());
        var s = Snapshots.Hardened(plain);
        s.RolesInfo!["roles"].AsBsonArray.Add(Role(Readers, "[ { role: 'read', db: 'patients' } ]"));

        var a = MemberAnalyzer.Analyze(s, plain);

        Assert.Empty(a.Corrections);
        Assert.Equal([$"admin.{Readers}"], a.Parameters.RolesOutsideDeclaredSet);
    }

    private static MemberSnapshot WithRoles(params BsonDocument[] roles)
    {
        var s = Snapshots.Hardened(Expected);
        foreach (var r in roles)
        {
            s.RolesInfo!["roles"].AsBsonArray.Add(r);
        }

        return s;
    }

    // A rolesInfo entry as mongod shows it with showPrivileges (manual, rolesInfo).
    private static BsonDocument Role(string name, string inherits, string privileges = "[]") => BsonDocument.Parse(
        $"{{ _id: 'admin.{name}', role: '{name}', db: 'admin', privileges: {privileges}, roles: {inherits}, isBuiltin: false, inheritedPrivileges: [] }}");
}
