using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Connection;
using HipaaMongo.Operator.Users.Planning;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Users.Edge;

/// <summary>
/// IUserAccessEdge over the members' connection code (MemberClientPool, MemberSessions): direct TLS connections,
/// the operator identity, the primary found by hello. Its own pool, so it never shares a client with verification.
/// </summary>
public sealed class MongoUserAccessEdge : IUserAccessEdge, IDisposable
{
    private readonly MemberClientPool _pool;
    private readonly MemberSessions _sessions;

    public MongoUserAccessEdge(MemberClientOptions options)
    {
        _pool = new MemberClientPool(options);
        _sessions = new MemberSessions(_pool);
    }

    public async Task<AccessObservation> ObserveAsync(ReplicaSetTarget target, MemberCredentials credentials, IReadOnlyList<string> userDbs,
        IReadOnlyList<string> roleDbs, CancellationToken ct)
    {
        var (session, why) = await PrimaryAsync(target, credentials, ct).ConfigureAwait(false);
        if (session is null) return AccessObservation.Failed(why!);
        var users = new List<ObservedUser>();
        foreach (var db in userDbs.Distinct(StringComparer.Ordinal))
        {
            var reply = await session.RunAsync(db, AccessCommands.UsersInfo(), ct).ConfigureAwait(false);
            if (reply.Failure is { } f) return AccessObservation.Failed($"usersInfo on {db}: {f}");
            users.AddRange(AccessCommands.ReadUsers(reply.Reply!));
        }

        var roles = new List<RoleModel>();
        foreach (var db in roleDbs.Distinct(StringComparer.Ordinal))
        {
            var reply = await session.RunAsync(db, AccessCommands.RolesInfo(), ct).ConfigureAwait(false);
            if (reply.Failure is { } f) return AccessObservation.Failed($"rolesInfo on {db}: {f}");
            roles.AddRange(AccessCommands.ReadRoles(reply.Reply!));
        }

        return new AccessObservation(users, roles, null);
    }

    public async Task<IReadOnlyList<OpOutcome>> ApplyAsync(ReplicaSetTarget target, MemberCredentials credentials, IReadOnlyList<AccessOp> ops,
        Func<AccessOp, string?> password, CancellationToken ct)
    {
        if (ops.Count == 0) return [];
        var (session, why) = await PrimaryAsync(target, credentials, ct).ConfigureAwait(false);
        if (session is null) return [new OpOutcome(ops[0], why)];
        var outcomes = new List<OpOutcome>();
        foreach (var op in ops)
        {
            var (db, command) = AccessCommands.For(op, AccessCommands.NeedsPassword(op) ? password(op) : null);
            var result = await session.RunAsync(db, command, ct).ConfigureAwait(false);
            // 51003 user exists / 51002 role exists: an earlier pass's write reached the primary but not its reply.
            // 11 UserNotFound on a drop: already gone. The failure text is mongod's errmsg, which never echoes pwd.
            var error = result.Failure is { } f && !Benign(op, f.Code) ? f.ToString() : null;
            outcomes.Add(new OpOutcome(op, error));
            if (error is not null) break;
        }

        return outcomes;
    }

    private static bool Benign(AccessOp op, int? code) => (op, code) switch
    {
        (CreateUserOp, 51003) or (CreateRoleOp, 51002) or (DropUserOp, 11) => true,
        _ => false,
    };

    private async Task<(MemberSession? Session, string? Why)> PrimaryAsync(ReplicaSetTarget target, MemberCredentials credentials, CancellationToken ct)
    {
        string? last = null;
        foreach (var member in target.Members)
        {
            var session = _sessions.Open(member, MemberIdentity.Operator, credentials)!;
            var hello = await session.AdminAsync(new BsonDocument("hello", 1), ct).ConfigureAwait(false);
            if (hello.Failure is { } f)
            {
                last = f.ToString();
                continue;
            }

            if (hello.Reply!.GetValue("isWritablePrimary", false).ToBoolean()) return (session, null);
        }

        return (null, last is null ? $"replica set {target.ReplicaSetName} has no primary" : $"no primary reachable: {last}");
    }

    public void Dispose() => _pool.Dispose();
}
