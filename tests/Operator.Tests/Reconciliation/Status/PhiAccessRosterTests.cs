using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Status;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation.Status;

public sealed class PhiAccessRosterTests
{
    private static HipaaMongoResource Set(string name = "phi-db", string ns = "clinical") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } };

    private static HipaaMongoUserResource User(string name, string set, string ns = "clinical", params string[] lines) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new HipaaMongoUserSpec { HipaaMongoRef = new LocalObjectReference { Name = set } },
        Status = new HipaaMongoUserStatus { Username = name + "-1", Database = "admin", PhiAccess = lines.Length == 0 ? null : [.. lines] },
    };

    [Fact]
    public void Lists_each_line_of_the_sets_own_users_sorted_and_prefixed_with_the_user()
    {
        var roster = PhiAccessRoster.For(Set(), [
            User("zeta", "phi-db", "clinical", "can update in patients (via readWrite@patients)"),
            User("alpha", "phi-db", "clinical", "can remove in patients (via readWrite@patients)", "can dropDatabase in patients (via dbAdmin@patients)"),
        ]);
        Assert.Equal([
            "HipaaMongoUser alpha (alpha-1@admin) can dropDatabase in patients (via dbAdmin@patients)",
            "HipaaMongoUser alpha (alpha-1@admin) can remove in patients (via readWrite@patients)",
            "HipaaMongoUser zeta (zeta-1@admin) can update in patients (via readWrite@patients)",
        ], roster);
    }

    [Fact]
    public void Users_of_another_set_or_namespace_and_users_without_such_access_are_not_listed()
    {
        var roster = PhiAccessRoster.For(Set(), [
            User("other-set", "billing-db", "clinical", "can remove in patients (via readWrite@patients)"),
            User("other-ns", "phi-db", "research", "can remove in patients (via readWrite@patients)"),
            User("reader", "phi-db", "clinical"),
        ]);
        Assert.Null(roster);
    }

    [Fact]
    public void Ldap_groups_whose_mapped_roles_can_change_PHI_records_are_listed_beside_the_users_by_group_DN()
    {
        var set = Set();
        set.Spec = new HipaaMongoSpec
        {
            Audit = new AuditSpec { PhiNamespaces = ["patients.records"] },
            Ldap = new LdapSpec
            {
                GroupRoleMappings =
                [
                    new LdapGroupRoleMapping { Group = "cn=phi-readers,ou=groups,dc=example,dc=org", Roles = [new DatabaseRole { Role = "read", Db = "patients" }] },
                    new LdapGroupRoleMapping { Group = "cn=phi-writers,ou=groups,dc=example,dc=org", Roles = [new DatabaseRole { Role = "readWrite", Db = "patients" }] },
                ],
            },
        };

        var roster = PhiAccessRoster.For(set, [User("alpha", "phi-db", "clinical", "can remove in patients (via readWrite@patients)")]);

        // The reading group is not listed; the writing one is, named by its DN and marked as a group.
        Assert.Equal([
            "HipaaMongoUser alpha (alpha-1@admin) can remove in patients (via readWrite@patients)",
            "cn=phi-writers,ou=groups,dc=example,dc=org (ldap group) can dropCollection, remove, renameCollectionSameDB, update in patients (via readWrite@patients)",
        ], roster);
    }

    [Fact]
    public void A_roster_longer_than_the_schema_allows_ends_with_how_many_more()
    {
        var users = Enumerable.Range(0, 300).Select(i => User($"u{i:D3}", "phi-db", "clinical", "can remove in patients (via readWrite@patients)"));
        var roster = PhiAccessRoster.For(Set(), users.ToList())!;
        Assert.Equal(PhiAccessRoster.MaxLines, roster.Count);
        Assert.Equal("and 45 more (hipaa-mongo report lists them all)", roster[^1]);
        Assert.StartsWith("HipaaMongoUser u000 ", roster[0], StringComparison.Ordinal);
    }
}
