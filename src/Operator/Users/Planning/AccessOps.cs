namespace HipaaMongo.Operator.Users.Planning;

/// <summary>
/// One change to users or roles, as a value: what the planner decided, safe to put in an Event, a log or the
/// evidence ledger (no operation carries a password; the actuator adds it when it builds the command).
/// </summary>
public abstract record AccessOp(string Kind)
{
    public abstract string Describe();
}

public sealed record CreateRoleOp(RoleModel Role) : AccessOp("createRole")
{
    public override string Describe() => $"create role {Role.Name}";
}

/// <summary>Replaces the role's privileges and inherited roles, so anything added out of band is revoked.</summary>
public sealed record UpdateRoleOp(RoleModel Role, RoleModel Found) : AccessOp("updateRole")
{
    public override string Describe() => $"restore role {Role.Name} as declared";
}

/// <summary>Creates a user; <see cref="WithPassword"/> says the actuator must supply a fresh SCRAM password.</summary>
public sealed record CreateUserOp(string Db, string Name, IReadOnlyList<RoleName> Roles, bool WithPassword, string Why) : AccessOp("createUser")
{
    public override string Describe() => $"create user {Name}@{Db} with {Join(Roles)} ({Why})";

    internal static string Join(IEnumerable<RoleName> roles) => string.Join(", ", roles.Select(r => r.ToString()));
}

public sealed record GrantRolesOp(string Db, string Name, IReadOnlyList<RoleName> Roles) : AccessOp("grantRolesToUser")
{
    public override string Describe() => $"grant {CreateUserOp.Join(Roles)} to {Name}@{Db}";
}

public sealed record RevokeRolesOp(string Db, string Name, IReadOnlyList<RoleName> Roles, string Why) : AccessOp("revokeRolesFromUser")
{
    public override string Describe() => $"revoke {CreateUserOp.Join(Roles)} from {Name}@{Db} ({Why})";
}

/// <summary>
/// Sets a user's password to the one its externally managed Secret now holds (mongod's updateUser with pwd, which
/// needs changePassword on the user's database). The password is added by the actuator, never carried here.
/// </summary>
public sealed record ChangePasswordOp(string Db, string Name, string Why) : AccessOp("updateUser")
{
    public override string Describe() => $"change the password of {Name}@{Db} ({Why})";
}

public sealed record DropUserOp(string Db, string Name, string Why) : AccessOp("dropUser")
{
    public override string Describe() => $"drop user {Name}@{Db} ({Why})";
}
