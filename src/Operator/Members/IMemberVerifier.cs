namespace HipaaMongo.Operator.Members;

/// <summary>
/// The I/O edge towards running members (MongoDB.Driver). The reconciler decides when; this only connects,
/// reads, writes and reports. Implementations never throw for a member's behaviour (unreachable, timeout,
/// wrong certificate, nonsense answers): those come back as results with a clear reason.
/// </summary>
public interface IMemberVerifier
{
    /// <summary>Initiates the set (members' DNS names) and creates the verifier role, operator and verifier users. Idempotent.</summary>
    Task<BootstrapResult> EnsureBootstrappedAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken);

    /// <summary>
    /// On a bootstrapped set: brings the operator's and verifier's roles to the render (updateRole where their
    /// privileges differ) as the operator. AlreadyDone when nothing differed; an edge without it does nothing.
    /// </summary>
    Task<BootstrapResult> EnsureRolesAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken) =>
        Task.FromResult(new BootstrapResult(BootstrapState.AlreadyDone, "roles are not managed by this edge"));

    /// <summary>Reads one member as the verifier, corrects runtime-settable drift as the operator, reports the rest.</summary>
    Task<MemberVerification> VerifyAsync(MemberTarget member, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken);

    /// <summary>rotateCertificates on one member (after cert-manager renewed its Secret), then reads the served expiry.</summary>
    Task<RotationResult> RotateCertificatesAsync(MemberTarget member, MemberCredentials credentials, CancellationToken cancellationToken);
}
