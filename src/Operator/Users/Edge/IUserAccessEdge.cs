using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Users.Planning;

namespace HipaaMongo.Operator.Users.Edge;

/// <summary>What usersInfo and rolesInfo showed on the primary, or why nothing could be read.</summary>
public sealed record AccessObservation(IReadOnlyList<ObservedUser> Users, IReadOnlyList<RoleModel> Roles, string? Failure)
{
    public static AccessObservation Failed(string why) => new([], [], why);
}

/// <summary>One planned change and its outcome: null Error means mongod acknowledged it with w:majority.</summary>
public sealed record OpOutcome(AccessOp Op, string? Error);

/// <summary>
/// The user-management edge: reads users and roles and runs the planned changes on the primary, as the
/// operator's x.509 identity. Tests may register their own.
/// </summary>
public interface IUserAccessEdge
{
    Task<AccessObservation> ObserveAsync(ReplicaSetTarget target, MemberCredentials credentials, IReadOnlyList<string> userDbs,
        IReadOnlyList<string> roleDbs, CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="ops"/> in order, stopping at the first failure; <paramref name="password"/> gives a create
    /// or a password change its password.
    /// </summary>
    Task<IReadOnlyList<OpOutcome>> ApplyAsync(ReplicaSetTarget target, MemberCredentials credentials, IReadOnlyList<AccessOp> ops,
        Func<AccessOp, string?> password, CancellationToken ct);
}
