using HipaaMongo.Entities;
using HipaaMongo.Operator.Members.Bootstrap;
using HipaaMongo.Operator.Members.Connection;
using HipaaMongo.Operator.Members.Verification;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members;

/// <summary>
/// IMemberVerifier over MongoDB.Driver: direct TLS connections to each pod IP, x.509 client certificates, the
/// verifier identity for reads and the operator identity for writes. It reads members and runs the commands it is
/// given; what to correct is decided elsewhere (Analysis.MemberPlanner), never here. Register once (singleton): it caches one
/// client per member and identity, and disposes them with itself.
/// </summary>
public sealed class MongoMemberVerifier : IMemberVerifier, IBootstrapEdge, IReplicaSetEdge, IDisposable
{
    private readonly MemberClientPool _pool;
    private readonly MemberSessions _sessions;
    private readonly MemberBootstrapper _bootstrapper;
    private readonly ReplicaSetCommands _replicaSet;
    private readonly TimeProvider _clock;

    public MongoMemberVerifier(MemberClientOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        _pool = new MemberClientPool(options);
        _sessions = new MemberSessions(_pool);
        _bootstrapper = new MemberBootstrapper(_sessions);
        Timing = new BootstrapTiming(options.PrimaryWait, options.PollInterval);
        _replicaSet = new ReplicaSetCommands(_sessions);
    }

    public BootstrapTiming Timing { get; }

    public Task<IReadOnlyList<MemberHello>> HelloAsync(ReplicaSetTarget target, MemberIdentity identity, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(credentials);
        return _bootstrapper.HelloAsync(target, identity, credentials, cancellationToken);
    }

    public Task<AccountsRead> ReadAccountsAsync(MemberTarget member, MemberIdentity identity, MemberExpectations expected, MemberCredentials credentials,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(credentials);
        return _bootstrapper.ReadAccountsAsync(member, identity, expected, credentials, cancellationToken);
    }

    public Task<MemberFailure?> RunAsync(MemberTarget member, MemberIdentity identity, MemberCommand command, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(credentials);
        return _bootstrapper.RunAsync(member, identity, command, credentials, cancellationToken);
    }

    public async Task<MemberRead> ReadAsync(MemberTarget member, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(credentials);
        var at = _clock.GetUtcNow();
        var operatorSession = _sessions.Open(member, MemberIdentity.Operator, credentials)!;
        var verifierSession = _sessions.Open(member, MemberIdentity.Verifier, credentials)!;
        var (snapshot, failure, operatorRefused) = await SnapshotReader.ReadAsync(
            verifierSession, operatorSession, expected, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return MemberRead.Unreadable(member.PodName, at, failure!.Message) with
            {
                RefusedIdentities = failure.IdentityRefused ? [Refusal(IdentityRefusal.Verifier, verifierSession.Subject, failure)] : [],
            };
        }

        return new MemberRead(member.PodName, at, snapshot, null)
        {
            RefusedIdentities = operatorRefused is null ? [] : [Refusal(IdentityRefusal.Operator, operatorSession.Subject, operatorRefused)],
        };
    }

    public async Task<IReadOnlyList<CommandResult>> RunAsync(MemberTarget member, IReadOnlyList<MemberCommand> commands, MemberCredentials credentials,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(credentials);
        if (commands.Count == 0)
        {
            return [];
        }

        var operatorSession = _sessions.Open(member, MemberIdentity.Operator, credentials)!;
        var outcomes = new List<CommandResult>(commands.Count);
        foreach (var command in commands)
        {
            var outcome = await operatorSession.RunAsync(command.Database, command.Command, cancellationToken).ConfigureAwait(false);
            outcomes.Add(new CommandResult(outcome.Ok, outcome.Failure?.Message));
        }

        return outcomes;
    }

    private static IdentityRefusal Refusal(string identity, string subject, MemberFailure failure) =>
        new(identity, subject, failure.Kind == MemberFailureKind.UserMissing, failure.Message);

    public async Task<RotationResult> RotateCertificatesAsync(MemberTarget member, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(credentials);
        var rotate = await _sessions.Open(member, MemberIdentity.Operator, credentials)!.AdminAsync(new BsonDocument
        {
            { "rotateCertificates", 1 }, { "message", "hipaa-mongo: certificate renewed by cert-manager" },
        }, cancellationToken).ConfigureAwait(false);
        if (rotate.Failure is { } refused)
        {
            return new RotationResult(member.PodName, false, null, $"rotateCertificates: {refused}");
        }

        var status = await _sessions.Open(member, MemberIdentity.Verifier, credentials)!
            .AdminAsync(new BsonDocument("serverStatus", 1), cancellationToken).ConfigureAwait(false);
        var expiry = ServedExpiry(status.Reply);
        return new RotationResult(member.PodName, true, expiry,
            expiry is null ? $"rotated, but the served expiry could not be read: {status.Failure?.Message ?? "serverStatus.security has no SSLServerCertificateExpirationDate"}" : null);
    }

    public Task<ReplicaSetRead> ReadAsync(IReadOnlyList<MemberTarget> members, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(credentials);
        return _replicaSet.ReadAsync(members, credentials, cancellationToken);
    }

    public Task<string?> ReconfigAsync(MemberTarget primary, BsonDocument config, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        return _replicaSet.ReconfigAsync(primary, config, credentials, cancellationToken);
    }

    public Task<string?> StepDownAsync(MemberTarget primary, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(credentials);
        return _replicaSet.StepDownAsync(primary, credentials, cancellationToken);
    }

    public Task<FcvRead> ReadFcvAsync(MemberTarget primary, IReadOnlyList<MemberTarget> members, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(credentials);
        return _replicaSet.ReadFcvAsync(primary, members, credentials, cancellationToken);
    }

    public Task<string?> SetFcvAsync(MemberTarget primary, string version, bool confirm, MemberCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(credentials);
        return _replicaSet.SetFcvAsync(primary, version, confirm, credentials, cancellationToken);
    }

    public void Dispose() => _pool.Dispose();

    /// <summary>serverStatus.security.SSLServerCertificateExpirationDate (secure-baseline.md 2.6), when present as a date.</summary>
    internal static DateTimeOffset? ServedExpiry(BsonDocument? serverStatus) =>
        serverStatus?.GetValue("security", BsonNull.Value) is BsonDocument security
        && security.GetValue("SSLServerCertificateExpirationDate", BsonNull.Value) is BsonDateTime date
            ? new DateTimeOffset(date.ToUniversalTime(), TimeSpan.Zero)
            : null;
}
