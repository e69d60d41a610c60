using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Connection;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Tests.Members.Analysis;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Reconciliation.Verification;

/// <summary>
/// The bootstrap actuator carries the planner's steps out through the edge, one at a time, and decides only how long
/// the wait for a primary lasts. The edge here only records and answers: a first start whose primary appears on the
/// third poll, and one whose primary never appears within the wait.
/// </summary>
public sealed class BootstrapActuatorTests
{
    private static readonly MemberExpectations Expected = Snapshots.Expect();
    private static readonly ReplicaSetTarget Target = new(Expected.ReplicaSetName,
        [.. Enumerable.Range(0, 3).Select(i => new MemberTarget($"db-{i}", $"10.0.0.{i + 1}", 27017, $"db-{i}.db.ns.svc.cluster.local"))]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_first_start_reads_as_the_operator_then_initiates_polls_for_a_primary_and_creates_as_the_member()
    {
        var edge = new RecordingEdge(primaryOnPoll: 3, new BootstrapTiming(TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(1)));

        var result = await new BootstrapActuator(edge, TimeProvider.System).EnsureBootstrappedAsync(Target, Expected, Credentials(withMember: true), Ct);

        Assert.Equal(BootstrapState.Bootstrapped, result.State);
        Assert.Equal(
        [
            "hello Operator", "hello Member", "run db-0 Member replSetInitiate", "hello Member", "hello Member", "hello Member",
            "accounts db-1 Member", "run db-1 Member createRole", "run db-1 Member createRole", "run db-1 Member createUser", "run db-1 Member createUser",
        ], edge.Calls);
    }

    [Fact]
    public async Task No_primary_within_the_wait_is_waiting_and_nothing_is_created()
    {
        var edge = new RecordingEdge(primaryOnPoll: int.MaxValue, new BootstrapTiming(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(5)));

        var result = await new BootstrapActuator(edge, TimeProvider.System).EnsureBootstrappedAsync(Target, Expected, Credentials(withMember: true), Ct);

        Assert.Equal(BootstrapState.Waiting, result.State);
        Assert.EndsWith($"replica set {Target.ReplicaSetName} has no primary yet", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(edge.Calls, c => c.StartsWith("accounts", StringComparison.Ordinal) || c.Contains("create", StringComparison.Ordinal));
        Assert.True(edge.Calls.Count(c => c == "hello Member") >= 3, string.Join(", ", edge.Calls));
    }

    private static MemberCredentials Credentials(bool withMember)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return new MemberCredentials([cert], cert, cert, withMember ? cert : null);
    }

    // A set on its first start: the operator's user is missing, nothing is initiated until replSetInitiate, and
    // db-1 answers as primary from the given hello as the member (counting the one before initiating) on.
    private sealed class RecordingEdge(int primaryOnPoll, BootstrapTiming timing) : IBootstrapEdge
    {
        private bool _initiated;
        private int _polls;

        public List<string> Calls { get; } = [];

        public BootstrapTiming Timing => timing;

        public Task<IReadOnlyList<MemberHello>> HelloAsync(ReplicaSetTarget target, MemberIdentity identity, MemberCredentials credentials, CancellationToken cancellationToken)
        {
            Calls.Add($"hello {identity}");
            if (identity == MemberIdentity.Operator)
            {
                return Task.FromResult<IReadOnlyList<MemberHello>>(
                    [.. target.Members.Select(m => new MemberHello(m, null, new MemberFailure(MemberFailureKind.UserMissing, "user missing", 11)))]);
            }
            var primary = _initiated && ++_polls >= primaryOnPoll;
            return Task.FromResult<IReadOnlyList<MemberHello>>([.. target.Members.Select((m, i) => new MemberHello(m, _initiated
                ? new BsonDocument { { "setName", Expected.ReplicaSetName }, { "isWritablePrimary", primary && i == 1 } }
                : new BsonDocument("isWritablePrimary", false), null))]);
        }

        public Task<AccountsRead> ReadAccountsAsync(MemberTarget member, MemberIdentity identity, MemberExpectations expected, MemberCredentials credentials,
            CancellationToken cancellationToken)
        {
            Calls.Add($"accounts {member.PodName} {identity}");
            return Task.FromResult(new AccountsRead(new BsonDocument("roles", new BsonArray()), new BsonDocument("users", new BsonArray()), null));
        }

        public Task<MemberFailure?> RunAsync(MemberTarget member, MemberIdentity identity, MemberCommand command, MemberCredentials credentials, CancellationToken cancellationToken)
        {
            Calls.Add($"run {member.PodName} {identity} {command.Command.Names.First()}");
            _initiated |= command.Command.Contains("replSetInitiate");
            return Task.FromResult<MemberFailure?>(null);
        }
    }
}
