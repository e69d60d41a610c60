namespace HipaaMongo.Entities.Validation;

/// <summary>
/// mongod's built-in roles by name (src/mongo/db/auth/builtin_roles.yml in mongodb/mongo; docs/users.md), and the
/// ones least-privilege policy refuses without break-glass.
/// </summary>
public static class BuiltinRoleNames
{
    /// <summary>Roles that exist in every database.</summary>
    public static IReadOnlySet<string> AnyDatabase { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "read", "readWrite", "dbAdmin", "userAdmin", "dbOwner", "enableSharding",
    };

    /// <summary>Roles that exist only in admin.</summary>
    public static IReadOnlySet<string> AdminOnly { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "clusterMonitor", "clusterManager", "hostManager", "clusterAdmin", "backup", "restore", "readAnyDatabase",
        "readWriteAnyDatabase", "userAdminAnyDatabase", "dbAdminAnyDatabase", "root", "__system", "__queryableBackup",
        "searchCoordinator", "directShardOperations",
    };

    /// <summary>
    /// Roles that amount to administering every database or the server: refused on a user unless it declares
    /// break-glass with a reason and an expiry.
    /// </summary>
    public static IReadOnlySet<string> Privileged { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "root", "__system", "userAdminAnyDatabase", "dbAdminAnyDatabase", "readWriteAnyDatabase", "clusterAdmin",
    };

    public static bool IsBuiltin(string role, string db) =>
        AnyDatabase.Contains(role) || (db == "admin" && AdminOnly.Contains(role));

    public static bool IsBuiltinName(string role) => AnyDatabase.Contains(role) || AdminOnly.Contains(role);

    public static bool IsPrivileged(string role, string db) => db == "admin" && Privileged.Contains(role);

    private static readonly string[] ReadWriteActions = ["dropCollection", "remove", "renameCollectionSameDB", "update"];
    private static readonly string[] DbAdminActions = ["dropCollection", "dropDatabase", "renameCollectionSameDB"];

    /// <summary>
    /// What the built-in role <paramref name="role"/>@<paramref name="roleDb"/> can remove, drop or rewrite in
    /// <paramref name="db"/> (builtin_roles.yml): readWrite and dbAdmin on their database; the AnyDatabase roles
    /// everywhere but local and config; userAdmin can grant itself any role on its database, so it is listed by that
    /// power. The PHI access review (status.phiAccess) is built from it.
    /// </summary>
    public static IReadOnlyList<string> DestructiveActions(string role, string roleDb, string db)
    {
        var here = roleDb == db;
        var admin = roleDb == "admin";
        return role switch
        {
            "readWrite" when here => ReadWriteActions,
            "dbAdmin" when here => DbAdminActions,
            "dbOwner" when here => [.. ReadWriteActions.Union(DbAdminActions)],
            "userAdmin" when here => ["grantRole"],
            "readWriteAnyDatabase" when admin => ReadWriteActions,
            "dbAdminAnyDatabase" when admin => DbAdminActions,
            "userAdminAnyDatabase" when admin => ["grantRole"],
            "restore" when admin => ["dropCollection"],
            "root" when admin => [.. ReadWriteActions.Union(DbAdminActions), "grantRole"],
            "__system" when admin => ["anyAction"],
            _ => [],
        };
    }
}
