using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Members;

/// <summary>One member to reach directly: its pod IP and the DNS name its certificate must carry.</summary>
public sealed record MemberTarget(string PodName, string Host, int Port, string ExpectedDnsName)
{
    /// <summary>The host:port members use for each other (the replica-set config's members[].host).</summary>
    public string AdvertisedHost => $"{ExpectedDnsName}:{Port}";
}

/// <summary>A replica set to bootstrap: its name (replication.replSetName) and every member, ordinal order.</summary>
public sealed record ReplicaSetTarget(string ReplicaSetName, IReadOnlyList<MemberTarget> Members);

/// <summary>
/// The certificates the operator talks to members with, loaded from the cert-manager Secrets. A class, not a
/// record, so no ToString can ever print key material; X509Certificate2.ToString prints no private key.
/// </summary>
public sealed class MemberCredentials(
    X509Certificate2Collection trustedCa,
    X509Certificate2 operatorIdentity,
    X509Certificate2 verifierIdentity,
    X509Certificate2? memberIdentity)
{
    /// <summary>The cluster CA(s) a member's server certificate must chain to (ca.crt).</summary>
    public X509Certificate2Collection TrustedCa { get; } = trustedCa;

    /// <summary>The operator's client certificate with its key: corrections, rotateCertificates, bootstrap.</summary>
    public X509Certificate2 Operator { get; } = operatorIdentity;

    /// <summary>The verifier's client certificate with its key: every read (least-privilege role).</summary>
    public X509Certificate2 Verifier { get; } = verifierIdentity;

    /// <summary>
    /// The member certificate, used only to bootstrap (authenticates as the internal __system identity under
    /// x.509 cluster auth) while the operator's own user does not exist yet. Null when not needed.
    /// </summary>
    public X509Certificate2? Member { get; } = memberIdentity;

    public override string ToString() => $"MemberCredentials(operator {Operator.Subject}, verifier {Verifier.Subject})";
}

/// <summary>The outcome of bootstrapping: already done, done now, or not possible yet and why.</summary>
public sealed record BootstrapResult(BootstrapState State, string Message);

public enum BootstrapState
{
    /// <summary>The set was initiated and the identities existed already: nothing was written.</summary>
    AlreadyDone,

    /// <summary>This call initiated the set and/or created the role and users.</summary>
    Bootstrapped,

    /// <summary>Not possible yet (a member unreachable, no primary yet); try again later.</summary>
    Waiting,

    /// <summary>A member refused in a way retrying will not fix (wrong certificate, unexpected config).</summary>
    Failed,
}

/// <summary>One runtime setting found drifted and what was done about it.</summary>
public sealed record RuntimeCorrection(string Setting, string Found, string Desired, bool Applied, string? Error);

/// <summary>
/// One member's verification: what it showed (before any correction), the corrections applied, and what
/// cannot be corrected at runtime. Failure is the clear reason when the member could not be verified.
/// </summary>
public sealed record MemberVerification(
    string PodName,
    DateTimeOffset ObservedAt,
    bool Reachable,
    string? Failure,
    MemberRole Role,
    DateTimeOffset? TlsExpiry,
    MemberParameters? Parameters,
    IReadOnlyList<RuntimeCorrection> Corrections,
    IReadOnlyList<string> Uncorrectable)
{
    /// <summary>
    /// The operator's own identities (certificate subjects) this member refused as it showed: its user missing
    /// (UserNotFound) or refused. Empty when both were accepted or the member was not reached.
    /// </summary>
    public IReadOnlyList<IdentityRefusal> RefusedIdentities { get; init; } = [];

    /// <summary>The evaluator's view of this member.</summary>
    public MemberFinding ToFinding() => new(PodName, Reachable, Reachable ? ObservedAt : null, Parameters) { Failure = Reachable ? null : Failure };

    public static MemberVerification Unreachable(string pod, DateTimeOffset at, string why) =>
        new(pod, at, false, why, MemberRole.Unknown, null, null, [], []);
}

/// <summary>
/// One read of one member, as the edge gives it: the replies (<see cref="Snapshot"/>), or, when the member could not be
/// read at all, <see cref="Failure"/> with the reason. Nothing here is judged: the planner reads it
/// (<see cref="Analysis.MemberPlanner"/>).
/// </summary>
public sealed record MemberRead(string PodName, DateTimeOffset ObservedAt, MemberSnapshot? Snapshot, string? Failure)
{
    /// <summary>The operator's identities the member refused while it was read (see <see cref="MemberVerification.RefusedIdentities"/>).</summary>
    public IReadOnlyList<IdentityRefusal> RefusedIdentities { get; init; } = [];

    public static MemberRead Unreadable(string pod, DateTimeOffset at, string why) => new(pod, at, null, why);
}

/// <summary>One command the edge runs on a member as the operator identity, on <see cref="Database"/>.</summary>
public sealed record MemberCommand(string Database, MongoDB.Bson.BsonDocument Command);

/// <summary>How one <see cref="MemberCommand"/> went: acknowledged, or the member's reason it was not.</summary>
public sealed record CommandResult(bool Ok, string? Error)
{
    public static readonly CommandResult Done = new(true, null);

    public static CommandResult Refused(string why) => new(false, why);
}

/// <summary>One of the operator's identities refused by a member: which, whether its user is missing, and the member's words.</summary>
public sealed record IdentityRefusal(string Identity, string Subject, bool UserMissing, string Reason)
{
    /// <summary>The <see cref="Identity"/> of the operator's own identity (writes, corrections).</summary>
    public const string Operator = "operator";

    /// <summary>The <see cref="Identity"/> of the verifier identity (reads).</summary>
    public const string Verifier = "verifier";
}

/// <summary>The result of rotateCertificates on one member.</summary>
public sealed record RotationResult(string PodName, bool Rotated, DateTimeOffset? ServedNotAfter, string? Error);

/// <summary>
/// The I/O edge towards running members (MongoDB.Driver). The reconciler decides when and what; this only connects,
/// reads, runs the commands it is given and reports. Implementations never throw for a member's behaviour (unreachable, timeout,
/// wrong certificate, nonsense answers): those come back as results with a clear reason.
/// </summary>
public interface IMemberVerifier
{
    /// <summary>
    /// Reads one member: everything as the verifier, the database list and profiler levels as the operator. Either its
    /// replies or why it could not be read, with the identities it refused. Decides nothing and writes nothing.
    /// </summary>
    Task<MemberRead> ReadAsync(MemberTarget member, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="commands"/> on one member as the operator, one after the other in the order given, each
    /// whatever became of the one before; one outcome per command, in the same order.
    /// </summary>
    Task<IReadOnlyList<CommandResult>> RunAsync(MemberTarget member, IReadOnlyList<MemberCommand> commands, MemberCredentials credentials, CancellationToken cancellationToken);

    /// <summary>rotateCertificates on one member (after cert-manager renewed its Secret), then reads the served expiry.</summary>
    Task<RotationResult> RotateCertificatesAsync(MemberTarget member, MemberCredentials credentials, CancellationToken cancellationToken);
}
