using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Members.Connection;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>Bootstrap as the member step sees it: the set initiated and the operator's and verifier's roles and users made.</summary>
public interface IBootstrapActuator
{
    /// <summary>Initiates the set (members' DNS names) and creates the verifier role, operator and verifier users. Idempotent.</summary>
    Task<BootstrapResult> EnsureBootstrappedAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken);

    /// <summary>
    /// On a bootstrapped set: brings the operator's and verifier's roles to the render (updateRole where their
    /// privileges differ) and creates any missing role or user, as the operator on the primary. AlreadyDone when nothing differed.
    /// </summary>
    Task<BootstrapResult> EnsureRolesAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken);
}

/// <summary>
/// Carries out bootstrap as a loop of read, plan, run: the pure <see cref="BootstrapPlanner"/> says what to read or run
/// next from everything seen so far, the edge (<see cref="IBootstrapEdge"/>) reads or runs exactly that, and the answer
/// is added to the observation the planner is asked with next, until it gives a result. The only thing decided here
/// is time: how long the wait for a primary after replSetInitiate has lasted (the edge's <see cref="BootstrapTiming"/>).
/// </summary>
public sealed class BootstrapActuator(IBootstrapEdge edge, TimeProvider clock) : IBootstrapActuator
{
    public Task<BootstrapResult> EnsureBootstrappedAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(credentials);
        return RunAsync(new BootstrapObservation(target, expected, credentials.Member is not null), credentials, cancellationToken);
    }

    public Task<BootstrapResult> EnsureRolesAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(credentials);
        return RunAsync(new BootstrapObservation(target, expected, credentials.Member is not null, RolesOnly: true), credentials, cancellationToken);
    }

    private async Task<BootstrapResult> RunAsync(BootstrapObservation observation, MemberCredentials credentials, CancellationToken ct)
    {
        var o = observation;
        DateTimeOffset? deadline = null;
        while (true)
        {
            switch (BootstrapPlanner.Next(o))
            {
                case BootstrapStep.Finish finish:
                    return finish.Result;
                case BootstrapStep.ReadHellos { ForPrimary: true } read:
                    deadline ??= clock.GetUtcNow() + edge.Timing.PrimaryWait;
                    o = o with { PrimaryPoll = await edge.HelloAsync(o.Target, read.Identity, credentials, ct).ConfigureAwait(false) };
                    break;
                case BootstrapStep.ReadHellos read:
                    var hellos = await edge.HelloAsync(o.Target, read.Identity, credentials, ct).ConfigureAwait(false);
                    o = read.Identity == MemberIdentity.Operator ? o with { AsOperator = hellos } : o with { AsMember = hellos };
                    break;
                case BootstrapStep.AwaitPrimary:
                    if (clock.GetUtcNow() >= deadline)
                    {
                        o = o with { PrimaryWaitOver = true };
                        break;
                    }
                    await Task.Delay(edge.Timing.PollInterval, clock, ct).ConfigureAwait(false);
                    o = o with { PrimaryPoll = await edge.HelloAsync(o.Target, MemberIdentity.Member, credentials, ct).ConfigureAwait(false) };
                    break;
                case BootstrapStep.ReadAccounts read:
                    o = o with { Accounts = await edge.ReadAccountsAsync(read.Member, read.Identity, o.Expected, credentials, ct).ConfigureAwait(false) };
                    break;
                case BootstrapStep.Run run:
                    var failure = await edge.RunAsync(run.Member, run.Identity, run.Command.ToMemberCommand(), credentials, ct).ConfigureAwait(false);
                    o = o with { Results = [.. o.Results, failure] };
                    break;
                default:
                    throw new InvalidOperationException("unknown bootstrap step");
            }
        }
    }
}

/// <summary>Bootstrap where the members edge cannot bootstrap (a test edge without it): nothing is done.</summary>
internal sealed class UnavailableBootstrapActuator : IBootstrapActuator
{
    public Task<BootstrapResult> EnsureBootstrappedAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult(new BootstrapResult(BootstrapState.Failed, "the members edge cannot bootstrap"));

    public Task<BootstrapResult> EnsureRolesAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult(new BootstrapResult(BootstrapState.AlreadyDone, "roles are not managed by this edge"));
}
