using System.Collections.Concurrent;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Tests.Compliance;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// A scripted members edge and actuator for ORCHESTRATION tests only: it talks to no mongod and plans nothing; the step's
/// verification of a member (<see cref="IMemberActuator"/>) answers a scripted result. By default every member answers
/// as a hardened member would (the values secure-baseline.md requires, via <see cref="Observations.Hardened"/>) and
/// serves the certificate of the member Secret; a test scripts a pod to answer otherwise. What a real member
/// answers and how it is read is the MongoDB.Driver verifier's business (members-edge), tested there; how a read becomes
/// a plan and its commands a result is MemberPlanner's and MemberActuator's, tested in Members and Verification.
/// </summary>
internal sealed class FakeMemberVerifier(TimeProvider time) : IMemberVerifier, IMemberActuator, IBootstrapActuator
{
    private readonly ConcurrentDictionary<string, Func<MemberVerification, MemberVerification>> _scripts = new(StringComparer.Ordinal);
    private int _bootstraps;
    private int _verifications;

    public int Bootstraps => Volatile.Read(ref _bootstraps);

    public int Verifications => Volatile.Read(ref _verifications);

    public ConcurrentQueue<string> Rotations { get; } = new();

    /// <summary>The KMIP edge that goes with these members (the harness registers it with them).</summary>
    public FakeKeyManagementProbe Keys { get; } = new(time);

    /// <summary>From now on <paramref name="pod"/> answers the healthy verification changed by <paramref name="change"/>.</summary>
    public void Script(string pod, Func<MemberVerification, MemberVerification> change) => _scripts[pod] = change;

    /// <summary>
    /// The next verification of <paramref name="pod"/> answers changed by <paramref name="change"/>, later ones as a
    /// hardened member (a drift the operator corrects and that holds, or a certificate the rotation replaces).
    /// </summary>
    public void ScriptOnce(string pod, Func<MemberVerification, MemberVerification> change)
    {
        var used = 0;
        _scripts[pod] = v => Interlocked.Exchange(ref used, 1) == 0 ? change(v) : v;
    }

    /// <summary><paramref name="pod"/> answers as a hardened member again.</summary>
    public void Heal(string pod) => _scripts.TryRemove(pod, out _);

    public Task<BootstrapResult> EnsureBootstrappedAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials,
        CancellationToken cancellationToken) =>
        Task.FromResult(Interlocked.Increment(ref _bootstraps) == 1
            ? new BootstrapResult(BootstrapState.Bootstrapped, $"replSetInitiate with {target.Members.Count} members; users created")
            : new BootstrapResult(BootstrapState.AlreadyDone, "already initiated"));

    public Task<BootstrapResult> EnsureRolesAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials,
        CancellationToken cancellationToken) =>
        Task.FromResult(new BootstrapResult(BootstrapState.AlreadyDone, "roles are not managed by this edge"));

    public Task<MemberVerification> VerifyAsync(MemberTarget member, MemberExpectations expected, MemberCredentials credentials,
        CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _verifications);
        var healthy = Healthy(member, expected, credentials);
        return Task.FromResult(_scripts.TryGetValue(member.PodName, out var change) ? change(healthy) : healthy);
    }

    // The step verifies through the actuator, which this fake is as well: a read or a command reaching the edge is a bug.
    public Task<MemberRead> ReadAsync(MemberTarget member, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the orchestration fake scripts whole verifications (IMemberActuator), not reads");

    public Task<IReadOnlyList<CommandResult>> RunAsync(MemberTarget member, IReadOnlyList<MemberCommand> commands, MemberCredentials credentials,
        CancellationToken cancellationToken) =>
        throw new NotSupportedException("the orchestration fake scripts whole verifications (IMemberActuator), not commands");

    public Task<RotationResult> RotateCertificatesAsync(MemberTarget member, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        Rotations.Enqueue(member.PodName);
        return Task.FromResult(new RotationResult(member.PodName, true, credentials.Member?.NotAfter.ToUniversalTime(), null));
    }

    private MemberVerification Healthy(MemberTarget member, MemberExpectations expected, MemberCredentials credentials)
    {
        var keyId = expected.Options.FirstOrDefault(o => o.Path == "security.kmip.keyIdentifier")?.Value as string ?? "any-kmip-key";
        var filter = (string)expected.Options.First(o => o.Path == "auditLog.filter").Value;
        DateTimeOffset? served = credentials.Member is { } m ? new DateTimeOffset(m.NotAfter.ToUniversalTime()) : null;
        var role = member.PodName.EndsWith("-0", StringComparison.Ordinal) ? MemberRole.Primary : MemberRole.Secondary;
        return new MemberVerification(member.PodName, time.GetUtcNow(), true, null, role, served, Observations.Hardened(keyId, filter), [], []);
    }
}
