using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Tests.Members.Analysis;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Reconciliation.Verification;

/// <summary>
/// The actuator carries a member's verification out in a fixed order through the edge: one read, then the planned
/// commands in one run in the plan's order (none when nothing is planned or the member was not read), and the result
/// built from their outcomes. The edge here only records and answers.
/// </summary>
public sealed class MemberActuatorTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly MemberTarget Member = new("phi-db-0", "10.0.0.5", 27017, "phi-db-0.phi-db.clinical.svc.cluster.local");
    private static readonly MemberExpectations Expected = Snapshots.Expect();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_planned_corrections_run_once_after_the_read_in_the_plan_order()
    {
        var drifted = Snapshots.WithParameter(Snapshots.WithParameter(Snapshots.Hardened(Expected), "redactClientLogData", false),
            "scramSHA256IterationCount", 10000);
        var edge = new RecordingEdge(new MemberRead(Member.PodName, At, drifted, null), _ => CommandResult.Done);

        var result = await new MemberActuator(edge).VerifyAsync(Member, Expected, Credentials, Ct);

        Assert.Equal(["read phi-db-0", "run phi-db-0: admin setParameter redactClientLogData, admin setParameter scramSHA256IterationCount"], edge.Calls);
        Assert.Equal(MemberPlanner.Plan(edge.Answer, Expected).Commands, edge.Ran.Single());
        Assert.Equal([("redactClientLogData", true), ("scramSHA256IterationCount", true)], result.Corrections.Select(c => (c.Setting, c.Applied)));
    }

    [Fact]
    public async Task A_refused_command_is_shown_on_its_own_correction_and_the_others_still_apply()
    {
        var drifted = Snapshots.WithParameter(Snapshots.WithParameter(Snapshots.Hardened(Expected), "redactClientLogData", false),
            "scramSHA256IterationCount", 10000);
        var edge = new RecordingEdge(new MemberRead(Member.PodName, At, drifted, null),
            c => c.Command.Contains("redactClientLogData") ? CommandResult.Refused("not authorized on admin") : CommandResult.Done);

        var result = await new MemberActuator(edge).VerifyAsync(Member, Expected, Credentials, Ct);

        Assert.Equal(
            [
                new RuntimeCorrection("redactClientLogData", "false", "true", false, "not authorized on admin"),
                new RuntimeCorrection("scramSHA256IterationCount", "10000", "15000", true, null),
            ],
            result.Corrections);
    }

    [Fact]
    public async Task Nothing_runs_as_an_operator_the_member_refused_while_it_was_read()
    {
        var refused = new IdentityRefusal(IdentityRefusal.Operator, "CN=hipaa-operator", true, "user missing: no user CN=hipaa-operator in $external");
        var drifted = Snapshots.WithParameter(Snapshots.Hardened(Expected), "redactClientLogData", false);
        var edge = new RecordingEdge(new MemberRead(Member.PodName, At, drifted, null) { RefusedIdentities = [refused] }, _ => CommandResult.Done);

        var result = await new MemberActuator(edge).VerifyAsync(Member, Expected, Credentials, Ct);

        Assert.Equal(["read phi-db-0"], edge.Calls);
        Assert.Equal([new RuntimeCorrection("redactClientLogData", "false", "true", false, refused.Reason)], result.Corrections);
    }

    [Fact]
    public async Task A_hardened_member_is_only_read()
    {
        var edge = new RecordingEdge(new MemberRead(Member.PodName, At, Snapshots.Hardened(Expected), null), _ => CommandResult.Done);

        var result = await new MemberActuator(edge).VerifyAsync(Member, Expected, Credentials, Ct);

        Assert.Equal(["read phi-db-0"], edge.Calls);
        Assert.True(result.Reachable);
        Assert.Empty(result.Corrections);
    }

    [Fact]
    public async Task A_member_not_read_is_unreachable_with_the_edge_reason_and_nothing_runs()
    {
        var refused = new IdentityRefusal("verifier", "CN=hipaa-verifier", true, "UserNotFound");
        var edge = new RecordingEdge(MemberRead.Unreadable(Member.PodName, At, "authentication failed") with { RefusedIdentities = [refused] },
            _ => CommandResult.Done);

        var result = await new MemberActuator(edge).VerifyAsync(Member, Expected, Credentials, Ct);

        Assert.Equal(["read phi-db-0"], edge.Calls);
        Assert.False(result.Reachable);
        Assert.Equal("authentication failed", result.Failure);
        Assert.Equal([refused], result.RefusedIdentities);
    }

    // The actuator hands the credentials through untouched; no test here looks inside them.
    private static MemberCredentials Credentials => LazyCredentials.Value;

    private static readonly Lazy<MemberCredentials> LazyCredentials = new(() =>
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return new MemberCredentials([cert], cert, cert, null);
    });

    private sealed class RecordingEdge(MemberRead answer, Func<MemberCommand, CommandResult> outcome) : IMemberVerifier
    {
        public MemberRead Answer => answer;

        public List<string> Calls { get; } = [];

        public List<IReadOnlyList<MemberCommand>> Ran { get; } = [];

        public Task<MemberRead> ReadAsync(MemberTarget member, MemberExpectations expected, MemberCredentials credentials, CancellationToken cancellationToken)
        {
            Calls.Add("read " + member.PodName);
            return Task.FromResult(answer);
        }

        public Task<IReadOnlyList<CommandResult>> RunAsync(MemberTarget member, IReadOnlyList<MemberCommand> commands, MemberCredentials credentials,
            CancellationToken cancellationToken)
        {
            Calls.Add($"run {member.PodName}: " + string.Join(", ", commands.Select(c => $"{c.Database} {Describe(c.Command)}")));
            Ran.Add(commands);
            return Task.FromResult<IReadOnlyList<CommandResult>>([.. commands.Select(outcome)]);
        }

        public Task<RotationResult> RotateCertificatesAsync(MemberTarget member, MemberCredentials credentials, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        private static string Describe(BsonDocument command) => string.Join(" ", command.Names.Where(n => n != "writeConcern" && command[n] is not BsonInt32 { Value: 1 })
            .Prepend(command.Names.First()).Distinct(StringComparer.Ordinal));
    }
}
