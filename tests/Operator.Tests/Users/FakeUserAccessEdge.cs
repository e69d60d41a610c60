using System.Collections.Concurrent;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Users.Edge;
using HipaaMongo.Operator.Users.Planning;

namespace HipaaMongo.Operator.Tests.Users;

/// <summary>
/// A scripted IUserAccessEdge for ORCHESTRATION tests only (which pass runs, what it writes, what it announces): it
/// talks to no mongod and keeps users as a list. What mongod does with each command is MongoUserAccessEdge's
/// business, tested with real mongosh in <see cref="UserAccessEdgeTests"/>.
/// </summary>
internal sealed class FakeUserAccessEdge : IUserAccessEdge
{
    private readonly ConcurrentDictionary<string, ObservedUser> _users = new(StringComparer.Ordinal);
    private int _observations;

    /// <summary>Every change asked for, in order.</summary>
    public ConcurrentQueue<AccessOp> Applied { get; } = new();

    /// <summary>How many passes read users (each pass that reaches the primary reads once).</summary>
    public int Observations => Volatile.Read(ref _observations);

    public Task<AccessObservation> ObserveAsync(ReplicaSetTarget target, MemberCredentials credentials, IReadOnlyList<string> userDbs,
        IReadOnlyList<string> roleDbs, CancellationToken ct)
    {
        Interlocked.Increment(ref _observations);
        return Task.FromResult(new AccessObservation([.. _users.Values.Where(u => userDbs.Contains(u.Db))], [], null));
    }

    public Task<IReadOnlyList<OpOutcome>> ApplyAsync(ReplicaSetTarget target, MemberCredentials credentials, IReadOnlyList<AccessOp> ops,
        Func<AccessOp, string?> password, CancellationToken ct)
    {
        foreach (var op in ops)
        {
            Applied.Enqueue(op);
            switch (op)
            {
                case CreateUserOp c:
                    _users[$"{c.Db}.{c.Name}"] = new ObservedUser(c.Db, c.Name, c.Roles);
                    break;
                case DropUserOp d:
                    _users.TryRemove($"{d.Db}.{d.Name}", out _);
                    break;
                case GrantRolesOp g:
                    _users.AddOrUpdate($"{g.Db}.{g.Name}", _ => new ObservedUser(g.Db, g.Name, g.Roles),
                        (_, u) => u with { Roles = [.. u.Roles.Union(g.Roles)] });
                    break;
                case RevokeRolesOp r:
                    _users.AddOrUpdate($"{r.Db}.{r.Name}", _ => new ObservedUser(r.Db, r.Name, []),
                        (_, u) => u with { Roles = [.. u.Roles.Except(r.Roles)] });
                    break;
            }
        }
        return Task.FromResult<IReadOnlyList<OpOutcome>>([.. ops.Select(o => new OpOutcome(o, null))]);
    }
}
