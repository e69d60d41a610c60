namespace HipaaMongo.Entities.Validation;

/// <summary>
/// mongod's privilege actions, copied from src/mongo/db/auth/action_type.idl (enum ActionType) in mongodb/mongo;
/// docs/users.md cites it. createRole refuses any other string ("Unrecognized action privilege string").
/// </summary>
public static class ActionTypes
{
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "addShard", "advanceClusterTime", "allCollectionStats", "analyze", "analyzeShardKey", "anyAction", "appendOplogNote",
        "applicationMessage", "auditConfigure", "auditLogRotate", "authCheck", "authenticate", "authSchemaUpgrade",
        "bypassDocumentValidation", "bypassWriteBlockingMode", "changeCustomData", "changePassword", "changeOwnPassword",
        "changeOwnCustomData", "changeStream", "checkFreeMonitoringStatus", "checkMetadataConsistency", "cleanupOrphaned",
        "clearJumboFlag", "cleanupStructuredEncryptionData", "closeAllDatabases", "collMod", "collStats", "compact",
        "compactStructuredEncryptionData", "configureQueryAnalyzer", "connPoolStats", "connPoolSync", "convertToCapped",
        "cpuProfiler", "createCollection", "createDatabase", "createIndex", "createRole", "createSearchIndexes", "createUser",
        "dbCheck", "dbHash", "dbStats", "dropAllRolesFromDatabase", "dropAllUsersFromDatabase", "dropCollection",
        "dropConnections", "dropDatabase", "dropIndex", "dropRole", "dropSearchIndex", "dropUser", "emptycapped",
        "enableProfiler", "enableSharding", "exportCollection", "find", "flushRouterConfig", "forceUUID", "fsync", "fsyncUnlock",
        "getClusterParameter", "getDatabaseVersion", "getDefaultRWConcern", "getCmdLineOpts", "getLog", "getParameter",
        "getShardMap", "getShardVersion", "grantRole", "grantPrivilegesToRole", "grantRolesToRole", "grantRolesToUser",
        "hostInfo", "impersonate", "importCollection", "indexStats", "inprog", "insert", "internal", "invalidateUserCache",
        "issueDirectShardOperations", "killAnyCursor", "killAnySession", "killCursors", "killop", "listCachedAndActiveUsers",
        "listCollections", "listCursors", "listDatabases", "listIndexes", "listSampledQueries", "listSearchIndexes",
        "listSessions", "listShards", "logRotate", "updateSearchIndex", "moveChunk", "moveCollection", "netstat",
        "oidcListKeys", "oidcRefreshKeys", "oidReset", "operationMetrics", "planCacheIndexFilter", "planCacheRead",
        "planCacheWrite", "querySettings", "queryStatsRead", "queryStatsReadTransformed", "refineCollectionShardKey", "reIndex",
        "remove", "removeShard", "renameCollection", "renameCollectionSameDB", "repairDatabase", "replSetConfigure",
        "replSetGetConfig", "replSetGetStatus", "replSetHeartbeat", "replSetReconfig", "replSetResizeOplog",
        "replSetStateChange", "reshardCollection", "resync", "revokeRole", "revokePrivilegesFromRole", "revokeRolesFromRole",
        "revokeRolesFromUser", "rotateCertificates", "runAsLessPrivilegedUser", "runTenantMigration", "serverStatus",
        "setAuthenticationRestriction", "setClusterParameter", "setDefaultRWConcern", "setFeatureCompatibilityVersion",
        "setFreeMonitoring", "setParameter", "setUserWriteBlockMode", "shardCollection", "shardedDataDistribution",
        "shardingState", "shutdown", "splitChunk", "splitVector", "storageDetails", "top", "touch", "trafficRecord",
        "transitionFromDedicatedConfigServer", "transitionToDedicatedConfigServer", "unlock", "useTenant", "useUUID", "update",
        "updateRole", "updateUser", "validate", "viewRole", "viewUser", "applyOps", "setChangeStreamState",
        "getChangeStreamState",
    };

    /// <summary>Actions a role may never carry: every action (anyAction), and the members' own (internal).</summary>
    public static IReadOnlySet<string> Refused { get; } = new HashSet<string>(StringComparer.Ordinal) { "anyAction", "internal" };

    /// <summary>
    /// Actions that remove, drop or rewrite data in a database: what the PHI access review lists (a biller who can
    /// delete records). From action_type.idl: remove, update, dropCollection, dropDatabase, renameCollectionSameDB,
    /// convertToCapped, emptycapped, and anyAction, which covers them all.
    /// </summary>
    public static IReadOnlySet<string> Destructive { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "remove", "update", "dropCollection", "dropDatabase", "renameCollectionSameDB", "convertToCapped", "emptycapped", "anyAction",
    };
}
