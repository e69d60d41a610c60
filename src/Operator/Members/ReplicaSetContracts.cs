using MongoDB.Bson;

namespace HipaaMongo.Operator.Members;

/// <summary>
/// What the primary says about its set: its replSetGetConfig and replSetGetStatus replies, or why they could not be
/// read (no member answered as primary, a refused command). Read as the verifier.
/// </summary>
public sealed record ReplicaSetRead(MemberTarget? Primary, BsonDocument? GetConfig, BsonDocument? GetStatus, string? Failure)
{
    public static ReplicaSetRead Failed(string why) => new(null, null, null, why);
}

/// <summary>
/// The replica-set edge of day-2 operations (scaling, rollouts): read the primary's view, reconfigure, step down.
/// As every members edge, it answers a member's behaviour with a value (null for success, otherwise the reason),
/// never an exception.
/// </summary>
public interface IReplicaSetEdge
{
    Task<ReplicaSetRead> ReadAsync(IReadOnlyList<MemberTarget> members, MemberCredentials credentials, CancellationToken cancellationToken);

    /// <summary>replSetReconfig on the primary as the operator (non-forced); null when mongod accepted it.</summary>
    Task<string?> ReconfigAsync(MemberTarget primary, BsonDocument config, MemberCredentials credentials, CancellationToken cancellationToken);

    /// <summary>replSetStepDown on the primary as the operator, with a catch-up period for a secondary; null when it stepped down.</summary>
    Task<string?> StepDownAsync(MemberTarget primary, MemberCredentials credentials, CancellationToken cancellationToken);

    /// <summary>getParameter featureCompatibilityVersion on the primary and buildInfo on each member, as the verifier.</summary>
    Task<FcvRead> ReadFcvAsync(MemberTarget primary, IReadOnlyList<MemberTarget> members, MemberCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult(FcvRead.Failed(UnavailableReplicaSetEdge.Reason));

    /// <summary>setFeatureCompatibilityVersion on the primary as the operator; null when mongod accepted it.</summary>
    Task<string?> SetFcvAsync(MemberTarget primary, string version, bool confirm, MemberCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(UnavailableReplicaSetEdge.Reason);
}

/// <summary>
/// The primary's featureCompatibilityVersion ({version, targetVersion while a change is unfinished}) and each member's
/// buildInfo version (pod name, version or null when it did not answer), or why FCV could not be read.
/// </summary>
public sealed record FcvRead(string? Version, string? TargetVersion, IReadOnlyList<(string Pod, string? Version)> Binaries, string? Failure)
{
    public static FcvRead Failed(string why) => new(null, null, [], why);
}

/// <summary>An edge that reaches nothing: used when the members edge registered is not a replica-set edge (orchestration tests' fakes).</summary>
public sealed class UnavailableReplicaSetEdge : IReplicaSetEdge
{
    public const string Reason = "no replica-set edge is registered";

    public Task<ReplicaSetRead> ReadAsync(IReadOnlyList<MemberTarget> members, MemberCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult(ReplicaSetRead.Failed(Reason));

    public Task<string?> ReconfigAsync(MemberTarget primary, BsonDocument config, MemberCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(Reason);

    public Task<string?> StepDownAsync(MemberTarget primary, MemberCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(Reason);
}
