using HipaaMongo.Entities.Tests.Crds;
using HipaaMongo.Entities.Validation;
using k8s.Models;

namespace HipaaMongo.Entities.Tests.Users;

public class RoleRulesTests
{
    private static CustomRoleSpec Reader(params string[] actions) => new()
    {
        Name = "patientsReader",
        Db = "admin",
        Privileges = [new RolePrivilege { Resource = new PrivilegeResource { Db = "patients", Collection = "" }, Actions = [.. actions] }],
    };

    private static IReadOnlyList<ValidationError> Validate(params CustomRoleSpec[] roles)
    {
        var spec = Specs.Valid();
        spec.Roles = [.. roles];
        return HipaaMongoValidator.Validate(spec, null);
    }

    [Fact]
    public void A_database_role_with_known_actions_is_accepted() =>
        Assert.Empty(Validate(Reader("find", "listCollections")));

    [Fact]
    public void AnyAction_is_refused_even_in_an_administrative_role()
    {
        var role = Reader("find", "anyAction");
        role.Administrative = true;
        var error = Assert.Single(Validate(role));
        Assert.Equal("spec.roles[0].privileges[0].actions", error.FieldPath);
        Assert.Contains("anyAction", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_action_mongod_does_not_know_is_refused_naming_the_source()
    {
        var error = Assert.Single(Validate(Reader("find", "deleteEverything")));
        Assert.Contains("deleteEverything", error.Message, StringComparison.Ordinal);
        Assert.Contains("action_type.idl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_privileges_need_an_administrative_role()
    {
        var role = new CustomRoleSpec
        {
            Name = "monitor",
            Db = "admin",
            Privileges = [new RolePrivilege { Resource = new PrivilegeResource { Cluster = true }, Actions = ["serverStatus"] }],
        };
        Assert.Contains(Validate(role), e => e.Message.Contains("administrative", StringComparison.Ordinal));
        role.Administrative = true;
        Assert.Empty(Validate(role));
    }

    [Fact]
    public void Every_database_reach_needs_an_administrative_role()
    {
        var role = Reader("find");
        role.Privileges![0].Resource.Db = "";
        Assert.Contains(Validate(role), e => e.FieldPath.EndsWith("resource.db", StringComparison.Ordinal));
    }

    [Fact]
    public void A_builtin_name_an_undeclared_parent_and_a_cycle_are_refused()
    {
        var builtin = Reader("find");
        builtin.Name = "readWrite";
        Assert.Contains(Validate(builtin), e => e.Message.Contains("built-in role name", StringComparison.Ordinal));

        var orphan = Reader("find");
        orphan.Roles = [new DatabaseRole { Role = "ghost", Db = "admin" }];
        Assert.Contains(Validate(orphan), e => e.Message.Contains("ghost@admin", StringComparison.Ordinal));

        var a = Reader("find");
        a.Name = "a";
        a.Roles = [new DatabaseRole { Role = "b", Db = "admin" }];
        var b = Reader("find");
        b.Name = "b";
        b.Roles = [new DatabaseRole { Role = "a", Db = "admin" }];
        Assert.Contains(Validate(a, b), e => e.Message.Contains("inherits itself", StringComparison.Ordinal));
    }

    [Fact]
    public void Inheriting_root_needs_an_administrative_role()
    {
        var role = Reader("find");
        role.Roles = [new DatabaseRole { Role = "root", Db = "admin" }];
        Assert.Contains(Validate(role), e => e.Message.Contains("root@admin", StringComparison.Ordinal));
    }

    [Fact]
    public void The_crd_refuses_anyAction_and_a_cluster_privilege_outside_an_administrative_role()
    {
        var spec = Specs.Valid();
        spec.Roles =
        [
            Reader("anyAction"),
            new CustomRoleSpec
            {
                Name = "monitor", Db = "admin",
                Privileges = [new RolePrivilege { Resource = new PrivilegeResource { Cluster = true }, Actions = ["serverStatus"] }],
            },
        ];
        var messages = CelRunner.FailingMessages(new HipaaMongoResource { Metadata = new V1ObjectMeta { Name = "rs0" }, Spec = spec });
        Assert.Contains(messages, m => m.Contains("anyAction", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("administrative", StringComparison.Ordinal));
    }

    [Fact]
    public void The_action_list_is_mongods_and_knows_the_crud_actions()
    {
        Assert.True(ActionTypes.All.Count > 150);
        Assert.Superset(new HashSet<string> { "find", "insert", "update", "remove", "dropCollection", "anyAction" }, new HashSet<string>(ActionTypes.All));
    }
}
