using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>
/// The later member readings reach the checks: a declared user with other grants, a runtime audit
/// configuration that differs, and replica-set hosts outside the certificates each fail exactly their own check;
/// not read (null) leaves the check to the readings it had before.
/// </summary>
public sealed class MemberGapsComplianceTests
{
    public static TheoryData<string, string, string> Failing() => new()
    {
        { "declared-users", "declared users holding other roles than declared", "regranted" },
        { "audit-filter", "the runtime audit configuration differs from the rendered one (filter, auditAuthorizationSuccess)", "runtime audit" },
        { "replica-set-hosts", "replSetGetConfig lists hosts the member certificates do not name: 10.0.0.7:27017", "hosts" },
    };

    [Theory]
    [MemberData(nameof(Failing))]
    public void Each_new_reading_fails_only_its_own_check(string check, string evidence, string mutation)
    {
        var report = ComplianceEvaluator.Evaluate(Mutate(mutation)(Observations.Passing()));

        Assert.Equal([check], report.Checks.Where(c => c.Outcome == Outcome.Fail).Select(c => c.CheckId));
        Assert.Contains(evidence, report.Check(check).Evidence, StringComparison.Ordinal);
        Assert.False(report.Compliant);
    }

    [Fact]
    public void Regranted_declared_users_are_listed_beside_undeclared_ones()
    {
        var o = Observations.Passing().WithMember(p => p with
        {
            UsersOutsideDeclaredSet = ["admin.rogue"],
            DeclaredUsersWithOtherGrants = ["$external.CN=op"],
        });

        var finding = ComplianceEvaluator.Evaluate(o).Check("declared-users");

        Assert.Equal(Outcome.Fail, finding.Outcome);
        Assert.Contains("undeclared users: admin.rogue", finding.Evidence, StringComparison.Ordinal);
        Assert.Contains("declared users holding other roles than declared: $external.CN=op", finding.Evidence, StringComparison.Ordinal);
    }

    // Unread grants and runtime audit leave the checks to the readings they had before; an unread replica-set
    // config proves nothing about who receives the data, so its own check is Unknown.
    [Fact]
    public void Empty_or_unread_new_readings_keep_a_passing_member_passing_except_the_unread_replica_config()
    {
        var empty = Observations.Passing().WithMember(p => p with
        {
            DeclaredUsersWithOtherGrants = [],
            RuntimeAuditDifferences = [],
            ReplicaHostsOutsideCertificates = [],
        });
        var unread = Observations.Passing().WithMember(p => p with
        {
            DeclaredUsersWithOtherGrants = null,
            RuntimeAuditDifferences = null,
            ReplicaHostsOutsideCertificates = null,
        });

        Assert.True(ComplianceEvaluator.Evaluate(empty).Compliant);
        var report = ComplianceEvaluator.Evaluate(unread);
        Assert.Equal(["replica-set-hosts"], report.Checks.Where(c => c.Outcome != Outcome.Pass).Select(c => c.CheckId));
        Assert.Equal(Outcome.Unknown, report.Check("replica-set-hosts").Outcome);
    }

    private static Func<Observation, Observation> Mutate(string mutation) => mutation switch
    {
        "regranted" => o => o.WithMember(p => p with { DeclaredUsersWithOtherGrants = ["$external.CN=hipaa-mongo-operator"] }),
        "runtime audit" => o => o.WithMember(p => p with { RuntimeAuditDifferences = ["filter", "auditAuthorizationSuccess"] }),
        "hosts" => o => o.WithMember(p => p with { ReplicaHostsOutsideCertificates = ["10.0.0.7:27017"] }),
        _ => throw new ArgumentOutOfRangeException(nameof(mutation)),
    };
}
