using MongoDB.Bson;

namespace HipaaMongo.Operator.Users.Planning;

/// <summary>
/// The mongod command for each planned change, pure. Each runs on the database it names (the user's or the
/// role's) with w:majority, so a failover cannot roll a grant or a revoke back. The password, when a user needs
/// one, is the only secret, given by the caller and put in no other value.
/// </summary>
public static class AccessCommands
{
    /// <summary>Whether the command for <paramref name="op"/> carries a password (the caller supplies it).</summary>
    public static bool NeedsPassword(AccessOp op) => op is CreateUserOp { WithPassword: true } or ChangePasswordOp;

    public static (string Db, BsonDocument Command) For(AccessOp op, string? password = null) => op switch
    {
        CreateRoleOp c => (c.Role.Name.Db, RoleBody("createRole", c.Role)),
        UpdateRoleOp u => (u.Role.Name.Db, RoleBody("updateRole", u.Role)),
        CreateUserOp c => (c.Db, CreateUser(c, password)),
        GrantRolesOp g => (g.Db, Majority(new BsonDocument { { "grantRolesToUser", g.Name }, { "roles", Roles(g.Roles) } })),
        RevokeRolesOp r => (r.Db, Majority(new BsonDocument { { "revokeRolesFromUser", r.Name }, { "roles", Roles(r.Roles) } })),
        DropUserOp d => (d.Db, Majority(new BsonDocument("dropUser", d.Name))),
        ChangePasswordOp c => (c.Db, Majority(new BsonDocument
        {
            { "updateUser", c.Name },
            { "pwd", password ?? throw new ArgumentException($"changing the password of {c.Name} needs one", nameof(password)) },
        })),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op.Kind, "no command for this operation"),
    };

    /// <summary>usersInfo on one database (the operator's role may view users per database, not forAllDBs).</summary>
    public static BsonDocument UsersInfo() => new("usersInfo", 1);

    /// <summary>rolesInfo with privileges on one database: the custom roles defined there.</summary>
    public static BsonDocument RolesInfo() => new() { { "rolesInfo", 1 }, { "showPrivileges", true } };

    private static BsonDocument CreateUser(CreateUserOp c, string? password)
    {
        var body = new BsonDocument { { "createUser", c.Name } };
        if (c.WithPassword)
        {
            body["pwd"] = password ?? throw new ArgumentException($"creating {c.Name} needs a password", nameof(password));
            body["mechanisms"] = new BsonArray { "SCRAM-SHA-256" };
        }

        body["roles"] = Roles(c.Roles);
        return Majority(body);
    }

    private static BsonDocument RoleBody(string command, RoleModel role) => Majority(new BsonDocument
    {
        { command, role.Name.Role },
        { "privileges", new BsonArray(role.Privileges.Select(Privilege)) },
        { "roles", Roles(role.Roles) },
    });

    private static BsonDocument Privilege(PrivilegeModel p) => new()
    {
        { "resource", p.Cluster ? new BsonDocument("cluster", true) : new BsonDocument { { "db", p.Db ?? "" }, { "collection", p.Collection ?? "" } } },
        { "actions", new BsonArray(p.Actions) },
    };

    private static BsonArray Roles(IEnumerable<RoleName> roles) =>
        new(roles.Select(r => new BsonDocument { { "role", r.Role }, { "db", r.Db } }));

    private static BsonDocument Majority(BsonDocument command)
    {
        command["writeConcern"] = new BsonDocument { { "w", "majority" }, { "wtimeout", 15000 } };
        return command;
    }

    /// <summary>Users from a usersInfo reply (never its credentials: usersInfo is not asked for them).</summary>
    public static IReadOnlyList<ObservedUser> ReadUsers(BsonDocument reply) =>
        [.. reply.GetValue("users", new BsonArray()).AsBsonArray.OfType<BsonDocument>().Select(u => new ObservedUser(
            u.GetValue("db", "").AsString, u.GetValue("user", "").AsString, ReadRoles(u.GetValue("roles", new BsonArray()))))];

    /// <summary>Custom roles from a rolesInfo reply with showPrivileges (built-in roles are not listed by rolesInfo: 1).</summary>
    public static IReadOnlyList<RoleModel> ReadRoles(BsonDocument reply) =>
        [.. reply.GetValue("roles", new BsonArray()).AsBsonArray.OfType<BsonDocument>()
            .Where(r => !r.GetValue("isBuiltin", false).ToBoolean())
            .Select(r => new RoleModel(new RoleName(r.GetValue("role", "").AsString, r.GetValue("db", "").AsString),
                [.. r.GetValue("privileges", new BsonArray()).AsBsonArray.OfType<BsonDocument>().Select(ReadPrivilege)],
                ReadRoles(r.GetValue("roles", new BsonArray()))))];

    private static PrivilegeModel ReadPrivilege(BsonDocument p)
    {
        var resource = p.GetValue("resource", new BsonDocument()).AsBsonDocument;
        var cluster = resource.GetValue("cluster", false).ToBoolean();
        return new PrivilegeModel(cluster, cluster ? null : resource.GetValue("db", "").AsString,
            cluster ? null : resource.GetValue("collection", "").AsString,
            [.. p.GetValue("actions", new BsonArray()).AsBsonArray.Select(a => a.AsString).Order(StringComparer.Ordinal)]);
    }

    private static List<RoleName> ReadRoles(BsonValue roles) =>
        [.. roles.AsBsonArray.OfType<BsonDocument>().Select(r => new RoleName(r.GetValue("role", "").AsString, r.GetValue("db", "").AsString))];
}
