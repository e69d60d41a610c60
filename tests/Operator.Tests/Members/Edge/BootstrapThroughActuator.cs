using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Verification;

namespace HipaaMongo.Operator.Tests.Members.Edge;

/// <summary>
/// Bootstrap against the real edge as the member step runs it: <see cref="BootstrapActuator"/> over the edge's reads and
/// runs, the pure planner deciding. Lets the edge tests say `verifier.EnsureBootstrappedAsync(...)` for the whole chain.
/// </summary>
internal static class BootstrapThroughActuator
{
    public static Task<BootstrapResult> EnsureBootstrappedAsync(this MongoMemberVerifier edge, ReplicaSetTarget target, MemberExpectations expected,
        MemberCredentials credentials, CancellationToken ct) =>
        new BootstrapActuator(edge, TimeProvider.System).EnsureBootstrappedAsync(target, expected, credentials, ct);

    public static Task<BootstrapResult> EnsureRolesAsync(this MongoMemberVerifier edge, ReplicaSetTarget target, MemberExpectations expected,
        MemberCredentials credentials, CancellationToken ct) =>
        new BootstrapActuator(edge, TimeProvider.System).EnsureRolesAsync(target, expected, credentials, ct);
}
