using HipaaMongo.Entities.Validation;

namespace HipaaMongo.Entities.Tests.Validation;

/// <summary>
/// spec.ldap.groupRoleMappings may not give a directory group a role that administers every database or the
/// server (least privilege: a group has no expiry and no break-glass record), and the groups whose roles can
/// remove, drop or update in a PHI database are listed in the access review (LdapGroupAccess).
/// </summary>
public sealed class LdapGroupPolicyTests
{
    private const string Group = "cn=phi-readers,ou=groups,dc=example,dc=org";

    [Theory]
    [InlineData("root", "admin")]
    [InlineData("userAdminAnyDatabase", "admin")]
    [InlineData("dbAdminAnyDatabase", "admin")]
    [InlineData("readWriteAnyDatabase", "admin")]
    [InlineData("clusterAdmin", "admin")]
    [InlineData("clusterManager", "admin")]
    public void A_group_mapped_to_a_privileged_or_cluster_role_is_refused(string role, string db)
    {
        var spec = Specs.WithLdap();
        spec.Ldap!.GroupRoleMappings![0].Roles = [new DatabaseRole { Role = "read", Db = "patients" }, new DatabaseRole { Role = role, Db = db }];

        var errors = HipaaMongoValidator.Validate(spec, null);

        var error = Assert.Single(errors);
        Assert.Equal("spec.ldap.groupRoleMappings[0].roles[1].role", error.FieldPath);
        Assert.Equal(LdapGroupAccess.RefusedRoleMessage(Group, role, db), error.Message);
        Assert.Contains("least-privilege", error.Message, StringComparison.Ordinal);
        Assert.Contains("breakGlass", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_mapped_to_a_custom_role_that_inherits_root_or_is_administrative_is_refused()
    {
        var spec = Specs.WithLdap();
        spec.Roles =
        [
            new CustomRoleSpec { Name = "operatorsAll", Db = "admin", Administrative = true, Roles = [new DatabaseRole { Role = "root", Db = "admin" }] },
            new CustomRoleSpec
            {
                Name = "monitor", Db = "admin", Administrative = true,
                Privileges = [new RolePrivilege { Resource = new PrivilegeResource { Cluster = true }, Actions = ["serverStatus"] }],
            },
        ];
        spec.Ldap!.GroupRoleMappings![0].Roles = [new DatabaseRole { Role = "operatorsAll", Db = "admin" }, new DatabaseRole { Role = "monitor", Db = "admin" }];

        var errors = HipaaMongoValidator.Validate(spec, null);

        Assert.Equal(
        [
            new ValidationError("spec.ldap.groupRoleMappings[0].roles[0].role", LdapGroupAccess.RefusedRoleMessage(Group, "operatorsAll", "admin")),
            new ValidationError("spec.ldap.groupRoleMappings[0].roles[1].role", LdapGroupAccess.RefusedRoleMessage(Group, "monitor", "admin")),
        ], errors);
    }

    [Theory]
    [InlineData("read", "patients")]
    [InlineData("readWrite", "patients")]
    [InlineData("dbAdmin", "billing")]
    public void A_group_mapped_to_database_roles_is_accepted(string role, string db)
    {
        var spec = Specs.WithLdap();
        spec.Ldap!.GroupRoleMappings![0].Roles = [new DatabaseRole { Role = role, Db = db }];

        Assert.Empty(HipaaMongoValidator.Validate(spec, null));
    }

    [Fact]
    public void The_review_lists_each_group_whose_roles_can_change_records_in_a_PHI_database_and_through_which_role()
    {
        var spec = Specs.WithLdap();
        spec.Audit = new AuditSpec { PhiNamespaces = ["patients.records", "billing"] };
        spec.Roles =
        [
            new CustomRoleSpec
            {
                Name = "purger", Db = "billing",
                Privileges = [new RolePrivilege { Resource = new PrivilegeResource { Db = "billing", Collection = "invoices" }, Actions = ["find", "remove"] }],
            },
        ];
        spec.Ldap!.GroupRoleMappings =
        [
            new LdapGroupRoleMapping { Group = Group, Roles = [new DatabaseRole { Role = "read", Db = "patients" }] },
            new LdapGroupRoleMapping
            {
                Group = "cn=phi-writers,ou=groups,dc=example,dc=org",
                Roles = [new DatabaseRole { Role = "readWrite", Db = "patients" }, new DatabaseRole { Role = "read", Db = "billing" }],
            },
            new LdapGroupRoleMapping { Group = "cn=billing,ou=groups,dc=example,dc=org", Roles = [new DatabaseRole { Role = "purger", Db = "billing" }] },
        ];

        var lines = LdapGroupAccess.Review(spec).Select(f => f.ToString()).ToList();

        // phi-readers (read only) is not listed; the others are, each in the database its role reaches.
        Assert.Equal(
        [
            "cn=billing,ou=groups,dc=example,dc=org (ldap group) can remove in billing (via purger@billing)",
            "cn=phi-writers,ou=groups,dc=example,dc=org (ldap group) can dropCollection, remove, renameCollectionSameDB, update in patients (via readWrite@patients)",
        ], lines);
    }

    [Fact]
    public void Without_PHI_databases_or_groups_the_review_is_empty()
    {
        var spec = Specs.WithLdap();
        spec.Ldap!.GroupRoleMappings![0].Roles = [new DatabaseRole { Role = "readWrite", Db = "patients" }];
        Assert.Empty(LdapGroupAccess.Review(spec)); // no phiNamespaces

        spec.Audit = new AuditSpec { PhiNamespaces = ["patients"] };
        Assert.Single(LdapGroupAccess.Review(spec));
        spec.Ldap = null;
        Assert.Empty(LdapGroupAccess.Review(spec));
    }
}
