using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Members.Connection;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Verification;

/// <summary>
/// Reads one member into a MemberSnapshot. Everything is read as the verifier (least privilege) except the database
/// list (listDatabases, which the verifier lacks) and the profiler levels: {profile: -1} needs find on &lt;db&gt;.system.profile (i.e. reading profiled operations, PHI) or
/// enableProfiler, so the operator, which resets levels anyway, reads them. A failed command leaves its reply null.
/// </summary>
internal static class SnapshotReader
{
    /// <summary>
    /// The snapshot, or the reason the member could not be read at all (unreachable, TLS, authentication, user
    /// missing); and, when the operator identity itself was refused (its user dropped, its certificate refused), why.
    /// </summary>
    public static async Task<(MemberSnapshot? Snapshot, MemberFailure? Failure, MemberFailure? OperatorRefused)> ReadAsync(
        MemberSession verifier, MemberSession operatorSession, MemberExpectations expected, CancellationToken ct)
    {
        var cmdLine = await verifier.AdminAsync(new BsonDocument("getCmdLineOpts", 1), ct).ConfigureAwait(false);
        if (cmdLine.Failure is { Kind: not (MemberFailureKind.CommandRefused or MemberFailureKind.Nonsense) } down)
        {
            return (null, down, null);
        }

        var parameters = await verifier.AdminAsync(GetParameter(expected.RuntimeParameterNames), ct).ConfigureAwait(false);
        var status = await verifier.AdminAsync(new BsonDocument("serverStatus", 1), ct).ConfigureAwait(false);
        var repl = await verifier.AdminAsync(new BsonDocument("replSetGetStatus", 1), ct).ConfigureAwait(false);
        var users = await verifier.AdminAsync(new BsonDocument("usersInfo", new BsonDocument("forAllDBs", true)), ct).ConfigureAwait(false);
        var roles = await verifier.AdminAsync(RolesInfo, ct).ConfigureAwait(false);
        var config = await verifier.AdminAsync(new BsonDocument("replSetGetConfig", 1), ct).ConfigureAwait(false);
        var audit = await verifier.AdminAsync(AuditCommand(expected.Edition), ct).ConfigureAwait(false);
        var build = await verifier.AdminAsync(new BsonDocument("buildInfo", 1), ct).ConfigureAwait(false);
        var (databases, operatorFailure) = await DatabasesAsync(operatorSession, ct).ConfigureAwait(false);
        var profiles = await ProfileLevelsAsync(operatorSession, databases, ct).ConfigureAwait(false);
        var otherRoles = await RolesByDatabaseAsync(verifier, RoleDatabases.For(databases, users.Reply, roles.Reply), ct).ConfigureAwait(false);
        return (new MemberSnapshot
        {
            CmdLineOpts = cmdLine.Reply,
            Parameters = parameters.Reply,
            ServerStatus = status.Reply,
            ReplSetStatus = repl.Reply,
            UsersInfo = users.Reply,
            RolesInfo = roles.Reply,
            RolesInfoByDatabase = otherRoles,
            ReplSetConfig = config.Reply,
            AuditConfig = audit.Reply,
            BuildInfo = build.Reply,
            ProfileLevels = profiles,
        }, null, operatorFailure is { IdentityRefused: true } ? operatorFailure : null);
    }

    /// <summary>One batched getParameter; an empty list asks for everything ('*').</summary>
    public static BsonDocument GetParameter(IReadOnlyList<string> names)
    {
        var command = new BsonDocument("getParameter", names.Count == 0 ? "*" : 1);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            command[name] = 1;
        }

        return command;
    }

    /// <summary>Enterprise keeps the runtime audit filter in the auditConfig cluster parameter (7.1+); Percona answers auditGetOptions.</summary>
    public static BsonDocument AuditCommand(MongoEdition edition) => edition == MongoEdition.Enterprise
        ? new BsonDocument("getClusterParameter", "auditConfig")
        : new BsonDocument("auditGetOptions", 1);

    // Custom roles only (built-ins are the same everywhere); privileges are shown so a role is judged by what it grants.
    private static BsonDocument RolesInfo => new() { { "rolesInfo", 1 }, { "showPrivileges", true }, { "showBuiltinRoles", false } };

    // listDatabases (nameOnly) as the operator (the verifier has no listDatabases); when it cannot be read, admin alone.
    // This is also the pass's first command as the operator, so its failure says whether the member still knows it.
    private static async Task<(IReadOnlyList<string> Names, MemberFailure? Failure)> DatabasesAsync(MemberSession session, CancellationToken ct)
    {
        var list = await session.AdminAsync(new BsonDocument { { "listDatabases", 1 }, { "nameOnly", true } }, ct).ConfigureAwait(false);
        return ([.. (list.Reply?.GetValue("databases", BsonNull.Value) as BsonArray ?? [])
            .OfType<BsonDocument>().Select(d => d.GetValue("name", BsonNull.Value)).OfType<BsonString>().Select(s => s.Value)
            .Append("admin").Distinct(StringComparer.Ordinal)], list.Failure);
    }

    // rolesInfo as the verifier (viewRole on every normal database) on each database; a failed reply stays null.
    private static async Task<IReadOnlyDictionary<string, BsonDocument?>> RolesByDatabaseAsync(
        MemberSession verifier, IReadOnlyList<string> databases, CancellationToken ct)
    {
        var replies = new Dictionary<string, BsonDocument?>(StringComparer.Ordinal);
        foreach (var db in databases)
        {
            replies[db] = (await verifier.RunAsync(db, RolesInfo, ct).ConfigureAwait(false)).Reply;
        }

        return replies;
    }

    private static async Task<IReadOnlyDictionary<string, BsonDocument>?> ProfileLevelsAsync(
        MemberSession session, IReadOnlyList<string> names, CancellationToken ct)
    {
        var levels = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        // The operator's {db: "", collection: ""} does not cover local and config: asking would only write an
        // authorization failure into the audit log on every pass.
        foreach (var db in names.Where(n => n is not ("local" or "config")))
        {
            var reply = await session.RunAsync(db, new BsonDocument("profile", -1), ct).ConfigureAwait(false);
            if (reply.Reply is { } r)
            {
                levels[db] = r;
            }
        }

        return levels.Count == 0 ? null : levels;
    }
}
