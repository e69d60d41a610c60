using HipaaMongo.Operator.Members.Connection;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members;

/// <summary>One member's hello as one identity: the reply, or why there is none.</summary>
public sealed record MemberHello(MemberTarget Member, BsonDocument? Reply, MemberFailure? Failure)
{
    public bool Ok => Reply is not null;
}

/// <summary>rolesInfo (with privileges) and usersInfo for the operator's and verifier's roles and users, read on one member, or why not.</summary>
public sealed record AccountsRead(BsonDocument? Roles, BsonDocument? Users, MemberFailure? Failure);

/// <summary>How long bootstrap waits for a primary after replSetInitiate, and how often it asks.</summary>
public sealed record BootstrapTiming(TimeSpan PrimaryWait, TimeSpan PollInterval);

/// <summary>
/// The I/O edge of bootstrap: it reads (hello on every member, users and roles on one) and runs the one command it is
/// given, as the identity it is told. What to read next, what to run and what the answers mean is decided by
/// Analysis.BootstrapPlanner; the loop between them lives in Reconciliation.Verification.BootstrapActuator.
/// </summary>
public interface IBootstrapEdge
{
    /// <summary>How long to wait for a primary (the edge's connection options).</summary>
    BootstrapTiming Timing { get; }

    /// <summary>hello on every member of <paramref name="target"/> as <paramref name="identity"/>, in member order.</summary>
    Task<IReadOnlyList<MemberHello>> HelloAsync(ReplicaSetTarget target, MemberIdentity identity, MemberCredentials credentials, CancellationToken cancellationToken);

    /// <summary>rolesInfo and usersInfo for the rendered roles and users, on <paramref name="member"/> as <paramref name="identity"/>.</summary>
    Task<AccountsRead> ReadAccountsAsync(MemberTarget member, MemberIdentity identity, MemberExpectations expected, MemberCredentials credentials,
        CancellationToken cancellationToken);

    /// <summary>Runs one command on <paramref name="member"/> as <paramref name="identity"/>: null when acknowledged, else the member's reason.</summary>
    Task<MemberFailure?> RunAsync(MemberTarget member, MemberIdentity identity, MemberCommand command, MemberCredentials credentials, CancellationToken cancellationToken);
}
