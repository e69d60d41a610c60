using HipaaMongo.Operator.Members;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>
/// The IMemberVerifier registered when the host plugs no real one (OperatorServices uses TryAdd): it reaches no
/// member, so members stay Unknown and compliance is never True. Honest, never a silent pass.
/// </summary>
public sealed class UnconfiguredMemberVerifier(TimeProvider time) : IMemberVerifier
{
    private const string Why = "no member verifier is configured in this operator build";

    public Task<BootstrapResult> EnsureBootstrappedAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials,
        CancellationToken cancellationToken) => Task.FromResult(new BootstrapResult(BootstrapState.Waiting, Why));

    public Task<MemberVerification> VerifyAsync(MemberTarget member, MemberExpectations expected, MemberCredentials credentials,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Task.FromResult(MemberVerification.Unreachable(member.PodName, time.GetUtcNow(), Why));
    }

    public Task<RotationResult> RotateCertificatesAsync(MemberTarget member, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        return Task.FromResult(new RotationResult(member.PodName, false, null, Why));
    }
}
