using CsCheck;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Tests.Baseline;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

/// <summary>
/// The decide half of a member's verification: a read becomes a plan (finished, or the analysis's corrections as
/// commands in its order), and the plan with one outcome per command becomes the member's verification, each
/// correction applied or not by its own outcome.
/// </summary>
public sealed class MemberPlannerTests
{
    private const string Readers = "cn=phi-readers,ou=groups,dc=example,dc=org";
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly MemberExpectations Expected = Snapshots.Expect(Models.WithLdap() with
    {
        Ldap = Models.WithLdap().Ldap! with
        {
            AuthzQueryTemplate = "{USER}?memberOf?base",
            GroupRoles = [new LdapGroupRoleModel(Readers, [new RoleRef("read", "patients")])],
        },
    });

    private static readonly IdentityRefusal OperatorRefused = new(IdentityRefusal.Operator, "CN=hipaa-operator", true, "user missing: no user CN=hipaa-operator in $external");

    // Four kinds of drift at once: a runtime parameter, the SCRAM iteration count, a profiler level, an LDAP group role.
    private static MemberSnapshot Drifted()
    {
        var s = Snapshots.WithParameter(Snapshots.Hardened(Expected), "redactClientLogData", false);
        s = Snapshots.WithParameter(s, "scramSHA256IterationCount", 10000);
        return s with { ProfileLevels = new Dictionary<string, BsonDocument> { ["admin"] = ManualReplies.ProfileReply(0), ["clinical"] = ManualReplies.ProfileReply(2) } };
    }

    private static MemberRead Read(MemberSnapshot s) => new("phi-db-0", At, s, null);

    [Fact]
    public void A_member_not_read_is_finished_unreachable_with_its_reason_and_refusals_and_plans_nothing()
    {
        var refused = new IdentityRefusal("verifier", "CN=hipaa-verifier", false, "certificate refused");
        var read = MemberRead.Unreadable("phi-db-2", At, "connection refused") with { RefusedIdentities = [refused] };

        var plan = MemberPlanner.Plan(read, Expected);
        var result = MemberPlanner.Result(plan, []);

        Assert.Empty(plan.Commands);
        Assert.Equal(("phi-db-2", At, false, "connection refused", MemberRole.Unknown), (result.PodName, result.ObservedAt, result.Reachable, result.Failure, result.Role));
        Assert.Null(result.Parameters);
        Assert.Empty(result.Corrections);
        Assert.Equal([refused], result.RefusedIdentities);
    }

    [Fact]
    public void The_commands_are_the_analysis_corrections_in_its_order()
    {
        var plan = MemberPlanner.Plan(Read(Drifted()), Expected);

        Assert.Null(plan.Finished);
        Assert.Equal(
            ["redactClientLogData", "scramSHA256IterationCount", "profiler level on database clinical", $"LDAP group role {Readers}"],
            plan.Corrections.Select(c => c.Setting));
        Assert.Equal(MemberAnalyzer.Analyze(Drifted(), Expected).Corrections.Select(c => (c.Database, c.Command)),
            plan.Commands.Select(c => (c.Database, c.Command)));
        Assert.Equal(
            [
                new MemberCommand("admin", new BsonDocument { { "setParameter", 1 }, { "redactClientLogData", true } }),
                new MemberCommand("admin", new BsonDocument { { "setParameter", 1 }, { "scramSHA256IterationCount", 15000 } }),
                new MemberCommand("clinical", new BsonDocument("profile", 0)),
                new MemberCommand("admin", LdapGroupRoles.Command("createRole", Expected.LdapGroupRoles[0])),
            ],
            plan.Commands);
    }

    [Fact]
    public void Each_correction_is_applied_or_not_by_its_own_outcome()
    {
        var plan = MemberPlanner.Plan(Read(Drifted()), Expected);
        var outcomes = new[] { CommandResult.Done, CommandResult.Refused("not authorized"), CommandResult.Done, CommandResult.Done };

        var result = MemberPlanner.Result(plan, outcomes);

        Assert.Equal(
            [
                new RuntimeCorrection("redactClientLogData", "false", "true", true, null),
                new RuntimeCorrection("scramSHA256IterationCount", "10000", "15000", false, "not authorized"),
                new RuntimeCorrection("profiler level on database clinical", "2", "0", true, null),
                new RuntimeCorrection($"LDAP group role {Readers}", LdapGroupRoles.Absent, "inherits read@patients", true, null),
            ],
            result.Corrections);
        Assert.True(result.Reachable);
        Assert.Null(result.Failure);
        Assert.Equal(("phi-db-0", At, MemberRole.Primary), (result.PodName, result.ObservedAt, result.Role));
        Assert.Empty(result.RefusedIdentities);
        Assert.False(result.Parameters!.RedactClientLogData);
    }

    [Fact]
    public void An_operator_refused_while_reading_runs_nothing_and_each_correction_shows_the_refusal()
    {
        var plan = MemberPlanner.Plan(Read(Drifted()) with { RefusedIdentities = [OperatorRefused] }, Expected);

        var result = MemberPlanner.Result(plan, []);

        Assert.Equal(4, plan.Corrections.Count);
        Assert.Empty(plan.Commands);
        Assert.All(result.Corrections, c => Assert.Equal((false, OperatorRefused.Reason), (c.Applied, c.Error)));
        Assert.Equal(plan.Corrections.Select(c => c.Setting), result.Corrections.Select(c => c.Setting));
        Assert.Equal([OperatorRefused], result.RefusedIdentities);
        Assert.True(result.Reachable);
    }

    [Fact]
    public void A_hardened_member_plans_nothing_and_is_shown_as_read()
    {
        var plan = MemberPlanner.Plan(new MemberRead("phi-db-1", At, Snapshots.Hardened(Snapshots.Expect()), null), Snapshots.Expect());

        var result = MemberPlanner.Result(plan, []);

        Assert.Empty(plan.Commands);
        Assert.Empty(result.Corrections);
        Assert.Empty(result.Uncorrectable);
        Assert.True(result.Parameters!.RedactClientLogData);
    }

    [Fact]
    public void Outcomes_that_do_not_match_the_commands_one_to_one_are_refused()
    {
        var plan = MemberPlanner.Plan(Read(Drifted()), Expected);

        Assert.Throws<ArgumentException>(() => MemberPlanner.Result(plan, [CommandResult.Done]));
        Assert.Throws<ArgumentException>(() => MemberPlanner.Result(MemberPlanner.Plan(MemberRead.Unreadable("p", At, "down"), Expected), [CommandResult.Done]));
    }

    [Fact]
    public void Any_outcomes_give_one_correction_per_command_in_order_with_the_analysis_untouched()
    {
        var drifts = Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool, (redact, scram, profiler, ldap) =>
        {
            var s = Snapshots.Hardened(Expected);
            s = redact ? Snapshots.WithParameter(s, "redactClientLogData", false) : s;
            s = scram ? Snapshots.WithParameter(s, "scramSHA256IterationCount", 5000) : s;
            s = profiler ? s with { ProfileLevels = new Dictionary<string, BsonDocument> { ["clinical"] = ManualReplies.ProfileReply(1) } } : s;
            return ldap ? s : s with { RolesInfo = null }; // rolesInfo not read: no role is planned
        });

        Gen.Select(drifts, Gen.Bool.Array[4], Gen.String).Sample((snapshot, oks, error) =>
        {
            var plan = MemberPlanner.Plan(Read(snapshot), Expected);
            var outcomes = plan.Commands.Select((_, i) => oks[i] ? CommandResult.Done : CommandResult.Refused(error)).ToList();
            var analysis = MemberAnalyzer.Analyze(snapshot, Expected);

            var result = MemberPlanner.Result(plan, outcomes);

            Assert.Equal(analysis.Corrections.Select(c => (c.Setting, c.Found, c.Desired)), result.Corrections.Select(c => (c.Setting, c.Found, c.Desired)));
            Assert.Equal(outcomes.Select(o => (o.Ok, o.Error)), result.Corrections.Select(c => (c.Applied, c.Error)));
            Assert.Equal(analysis.Uncorrectable, result.Uncorrectable);
            Assert.Same(plan.Analysis!.Parameters, result.Parameters);
            Assert.Equal((analysis.Role, analysis.TlsExpiry), (result.Role, result.TlsExpiry));
        }, iter: 200);
    }
}
