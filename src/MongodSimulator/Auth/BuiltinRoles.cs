namespace HipaaMongo.MongodSimulator.Auth;

/// <summary>The built-in roles the operator and tests use (builtin_roles.yml, doc section 7), by their privileges.</summary>
internal static class BuiltinRoles
{
    private static readonly string[] ClusterMonitor =
        ["getCmdLineOpts", "getParameter", "serverStatus", "replSetGetStatus", "replSetGetConfig", "getDefaultRWConcern",
         "hostInfo", "getLog", "connPoolStats", "listDatabases", "top", "inprog", "netstat", "checkFreeMonitoringStatus"];

    private static readonly string[] HostManager =
        ["setParameter", "rotateCertificates", "applicationMessage", "logRotate", "auditConfigure", "shutdown", "flushRouterConfig",
         "killop", "connPoolSync", "hostInfo"];

    private static readonly string[] ClusterManager =
        ["replSetConfigure", "replSetStateChange", "replSetGetStatus", "replSetGetConfig", "setDefaultRWConcern",
         "getDefaultRWConcern", "getClusterParameter", "setClusterParameter", "applicationMessage", "resync",
         "setFeatureCompatibilityVersion"];

    private static readonly string[] UserAdminDb =
        ["createUser", "dropUser", "createRole", "dropRole", "grantRole", "revokeRole", "viewUser", "viewRole",
         "changePassword", "changeCustomData", "setAuthenticationRestriction"];

    private static readonly string[] ReadActions = ["find", "listCollections", "listIndexes", "collStats", "dbStats"];

    private static readonly string[] WriteActions = ["insert", "update", "remove", "createCollection", "createIndex", "dropCollection"];

    private static readonly string[] DbAdminActions = ["enableProfiler", "dbStats", "collStats", "listCollections", "dropDatabase", "createIndex"];

    /// <summary>All actions a custom role may name (unknown ones are refused with BadValue).</summary>
    public static readonly HashSet<string> KnownActions = new(
        ClusterMonitor.Concat(HostManager).Concat(ClusterManager).Concat(UserAdminDb).Concat(ReadActions)
            .Concat(WriteActions).Concat(DbAdminActions).Concat(["anyAction", "internal", "authSchemaUpgrade", "invalidateUserCache"]),
        StringComparer.Ordinal);

    private static readonly string[] AdminOnly =
        ["clusterMonitor", "hostManager", "clusterManager", "clusterAdmin", "userAdminAnyDatabase", "readAnyDatabase",
         "readWriteAnyDatabase", "dbAdminAnyDatabase", "root", "backup", "restore", "__system"];

    public static bool Exists(RoleRef r) => Define(r) is not null;

    /// <summary>Privileges and directly inherited roles of a built-in role, or null if it is not one.</summary>
    public static (List<Privilege> Privileges, List<RoleRef> Roles)? Define(RoleRef r)
    {
        if (AdminOnly.Contains(r.Role) && r.Db != "admin")
        {
            return null;
        }

        var cluster = ResourcePattern.ClusterResource;
        var db = ResourcePattern.Database(r.Db);
        var any = ResourcePattern.Database("");
        return r.Role switch
        {
            "read" => (Of(db, ReadActions), []),
            "readWrite" => (Of(db, [.. ReadActions, .. WriteActions]), []),
            "dbAdmin" => (Of(db, DbAdminActions), []),
            "userAdmin" => (Of(db, UserAdminDb), []),
            "dbOwner" => ([], [new("readWrite", r.Db), new("dbAdmin", r.Db), new("userAdmin", r.Db)]),
            "clusterMonitor" => (Of(cluster, ClusterMonitor), [new("read", "local"), new("read", "config")]),
            "hostManager" => (Of(cluster, HostManager), []),
            "clusterManager" => (Of(cluster, ClusterManager), []),
            "clusterAdmin" => ([], [new("clusterMonitor", "admin"), new("hostManager", "admin"), new("clusterManager", "admin")]),
            "userAdminAnyDatabase" => ([.. Of(any, UserAdminDb), .. Of(cluster, ["viewUser", "viewRole", "authSchemaUpgrade", "invalidateUserCache", "listDatabases"])], []),
            "readAnyDatabase" => (Of(any, ReadActions), []),
            "readWriteAnyDatabase" => (Of(any, [.. ReadActions, .. WriteActions]), []),
            "dbAdminAnyDatabase" => (Of(any, DbAdminActions), []),
            "backup" or "restore" => (Of(any, ReadActions), []),
            "root" => ([], [new("clusterAdmin", "admin"), new("userAdminAnyDatabase", "admin"), new("readWriteAnyDatabase", "admin"),
                new("dbAdminAnyDatabase", "admin"), new("backup", "admin"), new("restore", "admin")]),
            "__system" => ([new Privilege(new ResourcePattern(false, null, true), new HashSet<string>(["anyAction"]))], []),
            _ => null,
        };
    }

    private static List<Privilege> Of(ResourcePattern r, string[] actions) =>
        [new Privilege(r, new HashSet<string>(actions, StringComparer.Ordinal))];
}
