using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>One member's verification as the member step sees it: read, decide, act, one result.</summary>
public interface IMemberActuator
{
    Task<MemberVerification> VerifyAsync(MemberTarget member, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken);
}

/// <summary>
/// Carries out one member's verification in a fixed order: the edge reads the member (<see cref="IMemberVerifier.ReadAsync"/>),
/// the pure planner decides (<see cref="MemberPlanner.Plan"/>), the edge runs the planned corrections as the operator in
/// the plan's order (<see cref="IMemberVerifier.RunAsync"/>, once, nothing when nothing is planned), and the planner
/// turns their outcomes into the member's verification (<see cref="MemberPlanner.Result"/>). It decides nothing itself.
/// </summary>
public sealed class MemberActuator(IMemberVerifier edge) : IMemberActuator
{
    public async Task<MemberVerification> VerifyAsync(MemberTarget member, MemberExpectations expected, MemberCredentials credentials,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(credentials);
        var read = await edge.ReadAsync(member, expected, credentials, cancellationToken).ConfigureAwait(false);
        var plan = MemberPlanner.Plan(read, expected);
        var commands = plan.Commands;
        var outcomes = commands.Count == 0 ? [] : await edge.RunAsync(member, commands, credentials, cancellationToken).ConfigureAwait(false);
        return MemberPlanner.Result(plan, outcomes);
    }
}
