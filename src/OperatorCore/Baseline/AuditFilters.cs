namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// The HIPAA audit filters of secure-baseline.md 4.4, as the exact strings mongod receives in
/// auditLog.filter. Both list "startup" (Enterprise) and "startupOptions" (Percona) so one filter
/// is portable across editions (4.2).
/// </summary>
public static class AuditFilters
{
    /// <summary>Security-relevant events of tier 1, without authCheck (which each tier adds its own way).</summary>
    public static IReadOnlyList<string> SecurityEvents { get; } =
    [
        "authenticate", "logout", "createUser", "dropUser", "dropAllUsersFromDatabase", "updateUser",
        "grantRolesToUser", "revokeRolesFromUser", "createRole", "updateRole", "dropRole",
        "dropAllRolesFromDatabase", "grantRolesToRole", "revokeRolesFromRole", "grantPrivilegesToRole",
        "revokePrivilegesFromRole", "directAuthMutation", "createDatabase", "dropDatabase",
        "createCollection", "dropCollection", "renameCollection", "dropIndex", "replSetReconfig",
        "setClusterParameter", "startup", "startupOptions", "shutdown", "applicationMessage",
    ];

    /// <summary>Commands whose successful authCheck counts as PHI access in tier 2.</summary>
    public static IReadOnlyList<string> PhiCommands { get; } =
    [
        "find", "getMore", "aggregate", "count", "distinct", "insert", "update", "delete",
        "findAndModify", "bulkWrite",
    ];

    /// <summary>Tier 1: with auditAuthorizationSuccess false, authCheck events are denials only.</summary>
    public static string Baseline()
    {
        // authCheck sits right after logout in the documented tier-1 list.
        var events = SecurityEvents.Take(2).Append("authCheck").Concat(SecurityEvents.Skip(2));
        return "{ atype: { $in: [ " + Quoted(events) + " ] } }";
    }

    /// <summary>Tier 2: security events, every denial, and successful PHI reads/writes on the given namespaces.</summary>
    public static string PhiAccess(IReadOnlyList<string> phiNamespaces)
    {
        ArgumentOutOfRangeException.ThrowIfZero(phiNamespaces.Count);
        return "{ $or: [ { atype: { $in: [ " + Quoted(SecurityEvents) + " ] } }, "
            + "{ atype: \"authCheck\", result: { $ne: 0 } }, "
            + "{ atype: \"authCheck\", \"param.ns\": " + NamespaceRegex(phiNamespaces)
            + ", \"param.command\": { $in: [ " + Quoted(PhiCommands) + " ] } } ] }";
    }

    /// <summary>
    /// A JS regex literal matching the PHI namespaces: databases ("patients") match every collection,
    /// "db.coll" entries match that collection only. Dots are escaped with two backslashes (4.3).
    /// </summary>
    public static string NamespaceRegex(IReadOnlyList<string> phiNamespaces)
    {
        if (phiNamespaces.All(n => !n.Contains('.', StringComparison.Ordinal)))
        {
            return "/^(" + string.Join('|', phiNamespaces) + ")\\\\./";
        }

        var alternatives = phiNamespaces.Select(n => n.Contains('.', StringComparison.Ordinal)
            ? n.Replace(".", "\\\\.", StringComparison.Ordinal) + "$"
            : n + "\\\\.");
        return "/^(" + string.Join('|', alternatives) + ")/";
    }

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => "\"" + n + "\""));
}
