using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Members.Bootstrap;
using HipaaMongo.Operator.Members.Connection;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

/// <summary>
/// Bootstrap's decisions, pure: the planner asked again after every read and command with what has been seen so far.
/// Each test plays a scripted set through the planner (as BootstrapActuator does with the real edge) and checks what
/// it read, what it ran as whom, and the result.
/// </summary>
public sealed class BootstrapPlannerTests
{
    private static readonly MemberExpectations Expected = Snapshots.Expect();
    private static readonly ReplicaSetTarget Target = new(Expected.ReplicaSetName,
        [.. Enumerable.Range(0, 3).Select(i => new MemberTarget($"db-{i}", $"10.0.0.{i + 1}", 27017, $"db-{i}.db.ns.svc.cluster.local"))]);

    private static readonly MemberFailure UserMissing = new(MemberFailureKind.UserMissing, "user missing: no user in $external", 11);
    private static readonly MemberFailure Unreachable = new(MemberFailureKind.Unreachable, "connection refused");

    [Fact]
    public void First_start_initiates_with_every_member_then_creates_roles_and_users_with_the_member_certificate()
    {
        var set = new ScriptedSet { AsOperator = All(_ => Fail(UserMissing)), AsMember = All(_ => NotInitiated()), Primary = 1 };

        var (result, steps) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: true));

        Assert.Equal(BootstrapState.Bootstrapped, result.State);
        var runs = steps.OfType<BootstrapStep.Run>().ToList();
        Assert.Equal(["replSetInitiate", "createRole", "createRole", "createUser", "createUser"], runs.Select(r => r.Command.Command.Names.First()));
        Assert.All(runs, r => Assert.Equal(MemberIdentity.Member, r.Identity));
        Assert.Equal("db-0", runs[0].Member.PodName);
        Assert.All(runs.Skip(1), r => Assert.Equal("db-1", r.Member.PodName));
        Assert.Equal(Target.Members.Select(m => m.AdvertisedHost),
            runs[0].Command.Command["replSetInitiate"]["members"].AsBsonArray.Select(m => m["host"].AsString));
        Assert.StartsWith($"initiated {Target.ReplicaSetName} with db-0.db.ns.svc.cluster.local:27017, ", result.Message, StringComparison.Ordinal);
        Assert.EndsWith($"created user {Expected.OperatorUser} with the member certificate", result.Message, StringComparison.Ordinal);
        Assert.Contains(steps, s => s is BootstrapStep.ReadAccounts { Identity: MemberIdentity.Member });
    }

    [Fact]
    public void No_primary_within_the_wait_after_initiating_is_waiting_and_says_the_set_was_initiated()
    {
        var set = new ScriptedSet { AsOperator = All(_ => Fail(UserMissing)), AsMember = All(_ => NotInitiated()), Primary = null };

        var (result, steps) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: true));

        Assert.Equal(new BootstrapResult(BootstrapState.Waiting,
            $"initiated {Target.ReplicaSetName} with {string.Join(", ", Target.Members.Select(m => m.AdvertisedHost))}; replica set {Target.ReplicaSetName} has no primary yet"), result);
        Assert.Contains(steps, s => s is BootstrapStep.AwaitPrimary);
        Assert.Single(steps.OfType<BootstrapStep.Run>());
    }

    [Fact]
    public void With_the_operator_user_a_role_whose_privileges_differ_is_updated_as_the_operator_on_the_primary()
    {
        var stale = RoleFound(MemberRoles.OperatorAdminRole());
        stale["privileges"][0]["actions"].AsBsonArray.Remove("setFeatureCompatibilityVersion");
        var set = new ScriptedSet
        {
            AsOperator = All(i => Ok(Member(i == 2))),
            Roles = [RoleFound(MemberRoles.VerifierRole(Expected.VerifierRole, Expected.Edition)), stale],
            Users = [Expected.VerifierUser, Expected.OperatorUser],
        };

        foreach (var rolesOnly in new[] { false, true })
        {
            var (result, steps) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: false, rolesOnly));

            Assert.Equal(new BootstrapResult(BootstrapState.Bootstrapped,
                $"updated role {MemberRoles.OperatorRole} (privileges brought to the render) as the operator"), result);
            var run = Assert.Single(steps.OfType<BootstrapStep.Run>());
            Assert.Equal((MemberIdentity.Operator, "db-2", "updateRole"), (run.Identity, run.Member.PodName, run.Command.Command.Names.First()));
            Assert.DoesNotContain(steps, s => s is BootstrapStep.ReadHellos { Identity: MemberIdentity.Member });
        }
    }

    [Fact]
    public void With_every_role_and_user_as_rendered_nothing_runs()
    {
        var set = new ScriptedSet
        {
            AsOperator = All(i => Ok(Member(i == 0))),
            Roles = [RoleFound(MemberRoles.VerifierRole(Expected.VerifierRole, Expected.Edition)), RoleFound(MemberRoles.OperatorAdminRole())],
            Users = [Expected.VerifierUser, Expected.OperatorUser],
        };

        var (result, steps) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: true));

        Assert.Equal(new BootstrapResult(BootstrapState.AlreadyDone,
            $"replica set {Target.ReplicaSetName} is initiated and its operator and verifier users exist"), result);
        Assert.DoesNotContain(steps, s => s is BootstrapStep.Run);
    }

    [Fact]
    public void An_operator_user_on_a_set_not_initiated_fails_without_running_anything()
    {
        var set = new ScriptedSet { AsOperator = All(_ => NotInitiated()) };

        var (result, steps) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: true));

        Assert.Equal(new BootstrapResult(BootstrapState.Failed,
            $"the operator user exists but replica set {Target.ReplicaSetName} is not initiated; the operator role cannot initiate it"), result);
        Assert.DoesNotContain(steps, s => s is BootstrapStep.Run or BootstrapStep.ReadAccounts);
    }

    [Fact]
    public void Unreachable_members_are_waited_for_and_the_member_certificate_is_not_tried()
    {
        var set = new ScriptedSet { AsOperator = All(_ => Fail(Unreachable)) };

        var (result, steps) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: true));

        Assert.Equal(new BootstrapResult(BootstrapState.Waiting, "no member reachable yet: connection refused"), result);
        Assert.Single(steps.OfType<BootstrapStep.ReadHellos>());
    }

    [Fact]
    public void One_member_down_before_initiating_is_waited_for()
    {
        var set = new ScriptedSet { AsOperator = All(i => Fail(i == 1 ? Unreachable : UserMissing)), AsMember = All(i => i == 1 ? Fail(Unreachable) : NotInitiated()) };

        var (result, steps) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: true));

        Assert.Equal(new BootstrapResult(BootstrapState.Waiting, "waiting for every member before initiating: connection refused"), result);
        Assert.DoesNotContain(steps, s => s is BootstrapStep.Run);
    }

    [Fact]
    public void Without_a_member_certificate_a_missing_operator_user_fails()
    {
        var set = new ScriptedSet { AsOperator = All(_ => Fail(UserMissing)) };

        var (result, _) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: false));

        Assert.Equal(new BootstrapResult(BootstrapState.Failed, "the operator user does not exist yet and no member certificate was given to create it"), result);
    }

    [Theory]
    [InlineData(51002)]
    [InlineData(51003)]
    public void A_create_refused_as_already_made_by_an_interrupted_pass_counts_as_done(int code)
    {
        var set = new ScriptedSet
        {
            AsOperator = All(_ => Fail(UserMissing)),
            AsMember = All(i => Ok(Member(i == 0))),
            Primary = 0,
            Answer = (n, _) => n is 0 or 2 ? new MemberFailure(MemberFailureKind.CommandRefused, $"already exists ({code})", code) : null,
        };

        var (result, steps) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: true));

        Assert.Equal(BootstrapState.Bootstrapped, result.State);
        Assert.Equal(4, steps.OfType<BootstrapStep.Run>().Count());
        Assert.DoesNotContain("initiated", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(13, BootstrapState.Failed)]
    [InlineData(91, BootstrapState.Waiting)]
    public void Any_other_refusal_stops_at_that_command(int code, BootstrapState state)
    {
        var refused = new MemberFailure(MemberFailureKind.CommandRefused, $"refused ({code})", code);
        var set = new ScriptedSet
        {
            AsOperator = All(_ => Fail(UserMissing)),
            AsMember = All(i => Ok(Member(i == 0))),
            Primary = 0,
            Answer = (n, _) => n == 1 ? refused : null,
        };

        var (result, steps) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: true));

        Assert.Equal(new BootstrapResult(state, $"creating role {MemberRoles.OperatorRole} failed: refused ({code})"), result);
        Assert.Equal(2, steps.OfType<BootstrapStep.Run>().Count());
    }

    [Fact]
    public void Roles_only_without_a_primary_is_waiting()
    {
        var set = new ScriptedSet { AsOperator = All(_ => Ok(Member(primary: false))) };

        var (result, _) = set.Play(new BootstrapObservation(Target, Expected, HasMemberCertificate: true, RolesOnly: true));

        Assert.Equal(new BootstrapResult(BootstrapState.Waiting, $"replica set {Target.ReplicaSetName} has no primary the operator can reach"), result);
    }

    private static Func<int, (BsonDocument?, MemberFailure?)> All(Func<int, (BsonDocument?, MemberFailure?)> each) => each;

    private static (BsonDocument?, MemberFailure?) Ok(BsonDocument reply) => (reply, null);

    private static (BsonDocument?, MemberFailure?) Fail(MemberFailure failure) => (null, failure);

    private static (BsonDocument?, MemberFailure?) NotInitiated() => (new BsonDocument { { "isWritablePrimary", false }, { "ok", 1 } }, null);

    private static BsonDocument Member(bool primary) =>
        new() { { "setName", Expected.ReplicaSetName }, { "isWritablePrimary", primary }, { "ok", 1 } };

    // A createRole as rolesInfo shows the role it made.
    private static BsonDocument RoleFound(BsonDocument createRole) => new()
    {
        { "role", createRole["createRole"] },
        { "db", "admin" },
        { "privileges", createRole["privileges"].DeepClone() },
        { "roles", createRole["roles"].DeepClone() },
    };

    /// <summary>A scripted set answering each step the planner asks for, as the edge would.</summary>
    private sealed class ScriptedSet
    {
        public Func<int, (BsonDocument?, MemberFailure?)> AsOperator { get; init; } = _ => (null, Unreachable);
        public Func<int, (BsonDocument?, MemberFailure?)> AsMember { get; init; } = _ => (null, Unreachable);

        /// <summary>The member that answers as primary once the set is initiated (null: none ever does).</summary>
        public int? Primary { get; init; }

        public IReadOnlyList<BsonDocument> Roles { get; init; } = [];
        public IReadOnlyList<string> Users { get; init; } = [];

        /// <summary>The failure of the n-th command run (null: acknowledged).</summary>
        public Func<int, BootstrapCommand, MemberFailure?> Answer { get; init; } = (_, _) => null;

        public (BootstrapResult Result, IReadOnlyList<BootstrapStep> Steps) Play(BootstrapObservation start)
        {
            var o = start;
            var steps = new List<BootstrapStep>();
            for (var i = 0; i < 100; i++)
            {
                var step = BootstrapPlanner.Next(o);
                steps.Add(step);
                if (step is BootstrapStep.Finish finish)
                {
                    return (finish.Result, steps);
                }
                o = step switch
                {
                    BootstrapStep.ReadHellos { ForPrimary: true } => o with { PrimaryPoll = Polled() },
                    BootstrapStep.ReadHellos { Identity: MemberIdentity.Operator } => o with { AsOperator = Hellos(AsOperator) },
                    BootstrapStep.ReadHellos => o with { AsMember = Hellos(AsMember) },
                    BootstrapStep.AwaitPrimary => o with { PrimaryWaitOver = true },
                    BootstrapStep.ReadAccounts => o with
                    {
                        Accounts = new AccountsRead(new BsonDocument("roles", new BsonArray(Roles)),
                            new BsonDocument("users", new BsonArray(Users.Select(u => new BsonDocument("user", u)))), null),
                    },
                    BootstrapStep.Run run => o with { Results = [.. o.Results, Answer(o.Results.Count, run.Command)] },
                    _ => throw new InvalidOperationException(step.ToString()),
                };
            }
            throw new InvalidOperationException("the planner never finished");
        }

        private IReadOnlyList<MemberHello> Polled() =>
            Hellos(i => Ok(new BsonDocument { { "setName", Expected.ReplicaSetName }, { "isWritablePrimary", i == Primary }, { "ok", 1 } }));

        private static IReadOnlyList<MemberHello> Hellos(Func<int, (BsonDocument?, MemberFailure?)> answer) =>
            [.. Target.Members.Select((m, i) => new MemberHello(m, answer(i).Item1, answer(i).Item2))];
    }
}
