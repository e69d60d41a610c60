using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members.Connection;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Verification;

/// <summary>
/// Reads one member into a MemberSnapshot. Everything is read as the verifier (least privilege) except the profiler
/// levels: {profile: -1} needs find on &lt;db&gt;.system.profile (i.e. reading profiled operations, PHI) or
/// enableProfiler, so the operator, which resets levels anyway, reads them. A failed command leaves its reply null.
/// </summary>
internal static class SnapshotReader
{
    /// <summary>The snapshot, or the reason the member could not be read at all (unreachable, TLS, authentication).</summary>
    public static async Task<(MemberSnapshot? Snapshot, MemberFailure? Failure)> ReadAsync(
        MemberSession verifier, MemberSession operatorSession, MemberExpectations expected, CancellationToken ct)
    {
        var cmdLine = await verifier.AdminAsync(new BsonDocument("getCmdLineOpts", 1), ct).ConfigureAwait(false);
        if (cmdLine.Failure is { Kind: MemberFailureKind.Unreachable or MemberFailureKind.Tls or MemberFailureKind.Authentication } down)
        {
            return (null, down);
        }

        var parameters = await verifier.AdminAsync(GetParameter(expected.RuntimeParameterNames), ct).ConfigureAwait(false);
        var status = await verifier.AdminAsync(new BsonDocument("serverStatus", 1), ct).ConfigureAwait(false);
        var repl = await verifier.AdminAsync(new BsonDocument("replSetGetStatus", 1), ct).ConfigureAwait(false);
        var users = await verifier.AdminAsync(new BsonDocument("usersInfo", new BsonDocument("forAllDBs", true)), ct).ConfigureAwait(false);
        var roles = await verifier.AdminAsync(new BsonDocument
        {
            { "rolesInfo", 1 }, { "showPrivileges", true }, { "showBuiltinRoles", false },
        }, ct).ConfigureAwait(false);
        var audit = await verifier.AdminAsync(AuditCommand(expected.Edition), ct).ConfigureAwait(false);
        var profiles = await ProfileLevelsAsync(operatorSession, ct).ConfigureAwait(false);
        return (new MemberSnapshot
        {
            CmdLineOpts = cmdLine.Reply,
            Parameters = parameters.Reply,
            ServerStatus = status.Reply,
            ReplSetStatus = repl.Reply,
            UsersInfo = users.Reply,
            RolesInfo = roles.Reply,
            AuditConfig = audit.Reply,
            ProfileLevels = profiles,
        }, null);
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
    public static BsonDocument AuditCommand(MongodEdition edition) => edition == MongodEdition.Enterprise
        ? new BsonDocument("getClusterParameter", "auditConfig")
        : new BsonDocument("auditGetOptions", 1);

    // listDatabases (nameOnly) gives the databases; when it cannot be read, admin alone is read rather than nothing.
    private static async Task<IReadOnlyDictionary<string, BsonDocument>?> ProfileLevelsAsync(MemberSession session, CancellationToken ct)
    {
        var list = await session.AdminAsync(new BsonDocument { { "listDatabases", 1 }, { "nameOnly", true } }, ct).ConfigureAwait(false);
        var names = (list.Reply?.GetValue("databases", BsonNull.Value) as BsonArray ?? [])
            .OfType<BsonDocument>().Select(d => d.GetValue("name", BsonNull.Value)).OfType<BsonString>().Select(s => s.Value)
            .Append("admin").Distinct(StringComparer.Ordinal).ToList();
        var levels = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        foreach (var db in names)
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
