using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>An unreachable member, a missing read or a stale read is Unknown, never Pass.</summary>
public class FreshnessTests
{
    [Theory]
    [InlineData("member unreachable")]
    [InlineData("member not read")]
    [InlineData("member read stale")]
    [InlineData("member read in the future")]
    [InlineData("kubernetes not read")]
    [InlineData("kubernetes read stale")]
    [InlineData("certificate not issued")]
    [InlineData("certificate read stale")]
    [InlineData("no certificates")]
    [InlineData("no members")]
    [InlineData("zero interval")]
    [InlineData("tlsMode not read")]
    [InlineData("audit filter not read")]
    [InlineData("kmip key not reported by the member")]
    [InlineData("served certificate not read")]
    [InlineData("users not read")]
    [InlineData("policies not listed")]
    public void Missing_proof_is_unknown_not_pass(string change)
    {
        var report = ComplianceEvaluator.Evaluate(Mutations.Unproven[change](Observations.Passing()));

        Assert.DoesNotContain(report.Checks, c => c.Outcome == Outcome.Fail);
        Assert.Contains(report.Checks, c => c.Outcome == Outcome.Unknown);
        Assert.Equal(ComplianceState.Unknown, report.Summary.State);
        Assert.False(report.Compliant);
        Assert.NotEmpty(report.Summary.Unknown);
        Assert.Contains(report.Safeguards, s => s.Status == "Unknown");
    }

    [Fact]
    public void A_stale_member_read_makes_every_member_check_unknown_and_says_so()
    {
        var report = ComplianceEvaluator.Evaluate(Mutations.Unproven["member read stale"](Observations.Passing()));

        var tls = report.Check("tls-mode");
        Assert.Equal(Outcome.Unknown, tls.Outcome);
        Assert.Contains("phi-db-1", tls.Evidence);
        Assert.Contains("stale", tls.Evidence);
        Assert.Equal(Outcome.Unknown, report.Control("HIPAA-164.312(e)(1)").Outcome);
        Assert.Equal(Outcome.Pass, report.Check("default-deny-present").Outcome);
    }

    [Fact]
    public void An_unreachable_member_sets_members_not_ready()
    {
        var report = ComplianceEvaluator.Evaluate(Mutations.Unproven["member unreachable"](Observations.Passing()));

        var tls = report.Safeguard(ConditionTypes.TLSEnforced);
        Assert.Equal(("Unknown", ConditionReasons.MembersNotReady), (tls.Status, tls.Reason));
        Assert.Contains("unreachable", tls.Message);
    }

    [Fact]
    public void A_read_exactly_one_interval_old_is_still_fresh()
    {
        var o = Observations.Passing();
        var edge = o.Now - o.VerificationInterval;
        var report = ComplianceEvaluator.Evaluate(o with
        {
            Members = [.. o.Members.Select(m => m with { ObservedAt = edge })],
            Kubernetes = o.Kubernetes with { ObservedAt = edge },
        });

        Assert.True(report.Compliant);
        Assert.Equal(edge, report.Check("tls-mode").ObservedAt);
    }

    [Fact]
    public void A_fresh_failure_wins_over_an_unreachable_member()
    {
        var o = Mutations.Failing["tls-mode"](Observations.Passing()).WithMemberFinding(m => m with { Reachable = false }, index: 2);
        var report = ComplianceEvaluator.Evaluate(o);

        Assert.Equal(Outcome.Fail, report.Check("tls-mode").Outcome);
        Assert.Contains("phi-db-1: tlsMode is preferTLS; the baseline requires requireTLS", report.Check("tls-mode").Evidence);
        Assert.Equal(ComplianceState.False, report.Summary.State);
    }

    [Fact]
    public void Evaluation_is_pure()
    {
        var o = Mutations.Failing["audit-filter"](Observations.Passing());

        var first = ComplianceEvaluator.Evaluate(o);
        var second = ComplianceEvaluator.Evaluate(o);

        Assert.Equal(first.Checks, second.Checks);
        Assert.Equal(first.Safeguards, second.Safeguards);
        Assert.Equal(o.Now, first.EvaluatedAt);
    }
}

public class CertificateFreshnessTests
{
    [Fact]
    public void An_expired_certificate_seen_only_in_a_stale_read_is_unknown()
    {
        var o = Mutations.Failing["tls-certificate-valid"](Observations.Passing());
        var stale = o with { Certificates = [.. o.Certificates.Select(c => c with { ObservedAt = o.Now - TimeSpan.FromDays(2) })] };

        Assert.Equal(Outcome.Fail, ComplianceEvaluator.Evaluate(o).Check("tls-certificate-valid").Outcome);
        Assert.Equal(Outcome.Unknown, ComplianceEvaluator.Evaluate(stale).Check("tls-certificate-valid").Outcome);
    }

    [Fact]
    public void A_read_later_than_now_is_reported_as_clock_skew()
    {
        var report = ComplianceEvaluator.Evaluate(Mutations.Unproven["member read in the future"](Observations.Passing()));

        Assert.Contains("clock skew", report.Check("authorization").Evidence);
    }
}
