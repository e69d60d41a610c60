namespace HipaaMongo.Operator.Users.Planning;

/// <summary>A role in a database, as mongod names it ({role, db}).</summary>
public sealed record RoleName(string Role, string Db)
{
    public override string ToString() => $"{Role}@{Db}";

    /// <summary>In role@db order, so plans and status are stable whatever order the server listed them in.</summary>
    public static List<RoleName> Sorted(IEnumerable<RoleName> roles) => [.. roles.OrderBy(r => r.ToString(), StringComparer.Ordinal)];
}

/// <summary>One privilege: a resource (db and collection, or the cluster) and its actions, kept sorted.</summary>
public sealed record PrivilegeModel(bool Cluster, string? Db, string? Collection, IReadOnlyList<string> Actions)
{
    /// <summary>Equal resources and action sets, whatever the order the server returned them in.</summary>
    public string Key => Cluster ? $"cluster:{string.Join(",", Actions.Order(StringComparer.Ordinal))}"
        : $"{Db}.{Collection ?? ""}:{string.Join(",", Actions.Order(StringComparer.Ordinal))}";
}

/// <summary>A custom role: declared (spec.roles) or observed (rolesInfo with showPrivileges).</summary>
public sealed record RoleModel(RoleName Name, IReadOnlyList<PrivilegeModel> Privileges, IReadOnlyList<RoleName> Roles)
{
    /// <summary>Same privileges and inherited roles, order aside.</summary>
    public bool SameGrantsAs(RoleModel other) =>
        Privileges.Select(p => p.Key).Order(StringComparer.Ordinal).SequenceEqual(other.Privileges.Select(p => p.Key).Order(StringComparer.Ordinal))
        && RoleName.Sorted(Roles).SequenceEqual(RoleName.Sorted(other.Roles));
}

/// <summary>A user as usersInfo shows it: its database, name and directly granted roles. Never a credential.</summary>
public sealed record ObservedUser(string Db, string Name, IReadOnlyList<RoleName> Roles)
{
    public override string ToString() => $"{Name}@{Db}";
}
