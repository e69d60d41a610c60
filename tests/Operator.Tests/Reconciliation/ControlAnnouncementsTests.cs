using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reconciliation.Observe;
using HipaaMongo.Operator.Reconciliation.Status;
using HipaaMongo.Operator.Tests.Compliance;

namespace HipaaMongo.Operator.Tests.Reconciliation;

public sealed class ControlAnnouncementsTests
{
    [Fact]
    public void Creation_is_quiet_and_a_first_proof_is_not_a_recovery()
    {
        var unverified = ComplianceEvaluator.Evaluate(Observations.Passing() with { Members = ClusterFindings.Unread("phi-db", 3) });
        var first = ControlAnnouncements.Plan(new Dictionary<string, Outcome>(), unverified);
        Assert.Empty(first.Changes);

        var second = ControlAnnouncements.Plan(first.Remember, ComplianceEvaluator.Evaluate(Observations.Passing()));
        Assert.Empty(second.Changes);
        Assert.All(ControlCatalogue.All, c => Assert.Equal(Outcome.Pass, second.Remember[c.Id]));
    }

    [Fact]
    public void A_deleted_policy_is_announced_and_so_is_its_recovery()
    {
        var passing = ComplianceEvaluator.Evaluate(Observations.Passing());
        var missing = ComplianceEvaluator.Evaluate(Observations.Passing().WithKubernetes(k => k with { DefaultDenyPresent = false }));

        var failed = ControlAnnouncements.Plan(ControlChanges.Outcomes(passing), missing);
        var recovered = ControlAnnouncements.Plan(failed.Remember, passing);

        Assert.Contains(failed.Changes, c => c.ControlId == "MDB-SC-NETWORK" && c.To == Outcome.Fail && c.IsWarning);
        Assert.Contains(recovered.Changes, c => c.ControlId == "MDB-SC-NETWORK" && c.From == Outcome.Fail && c.To == Outcome.Pass);
    }

    [Fact]
    public void A_proven_control_that_becomes_unproven_is_announced()
    {
        var passing = ComplianceEvaluator.Evaluate(Observations.Passing());
        var unverified = ComplianceEvaluator.Evaluate(Observations.Passing() with { Members = ClusterFindings.Unread("phi-db", 3) });
        var plan = ControlAnnouncements.Plan(ControlChanges.Outcomes(passing), unverified);
        Assert.Contains(plan.Changes, c => c.ControlId == "HIPAA-164.312(b)" && c.To == Outcome.Unknown);
    }

    [Fact]
    public void Outcomes_stored_in_status_keep_a_restart_from_re_announcing_a_failure()
    {
        var failing = ComplianceEvaluator.Evaluate(Observations.Passing().WithMember(p => p with { RedactClientLogData = false }));
        var stored = ControlChanges.PreviousOutcomes(failing.ToStatus());

        Assert.Empty(ControlAnnouncements.Plan(stored, failing).Changes);
        Assert.Equal(Outcome.Fail, stored["HIPAA-164.312(b)"]);
    }

    [Fact]
    public void A_compliant_status_means_every_control_passed()
    {
        var stored = ControlChanges.PreviousOutcomes(new ComplianceSummary { Compliant = ComplianceState.True, Passed = 24, Total = 24 });
        Assert.All(ControlCatalogue.All, c => Assert.Equal(Outcome.Pass, stored[c.Id]));
        Assert.Empty(ControlChanges.PreviousOutcomes(null));
    }

    [Fact]
    public void A_control_unproven_after_a_proof_is_announced_as_passed_when_proven_again()
    {
        var passing = ComplianceEvaluator.Evaluate(Observations.Passing());
        var unverified = ComplianceEvaluator.Evaluate(Observations.Passing() with { Members = ClusterFindings.Unread("phi-db", 3) });

        var lost = ControlAnnouncements.Plan(ControlChanges.Outcomes(passing), unverified);
        var still = ControlAnnouncements.Plan(lost.Remember, unverified);
        var back = ControlAnnouncements.Plan(still.Remember, passing);

        Assert.Equal(Outcome.Unknown, lost.Remember["HIPAA-164.312(b)"]);
        Assert.Empty(still.Changes);
        var unproven = lost.Changes.Where(c => c.To == Outcome.Unknown).Select(c => c.ControlId).ToList();
        Assert.NotEmpty(unproven);
        Assert.Equal(unproven, back.Changes.Where(c => c.From == Outcome.Unknown && c.To == Outcome.Pass && !c.IsWarning).Select(c => c.ControlId));
        Assert.Equal(back.Changes.Count, unproven.Count);
    }

    [Fact]
    public void An_unproven_control_never_proven_is_not_remembered()
    {
        var unverified = ComplianceEvaluator.Evaluate(Observations.Passing() with { Members = ClusterFindings.Unread("phi-db", 3) });
        var plan = ControlAnnouncements.Plan(new Dictionary<string, Outcome>(), unverified);
        Assert.DoesNotContain("HIPAA-164.312(b)", plan.Remember.Keys);
        Assert.Contains("MDB-SC-NETWORK", plan.Remember.Keys);
    }
}
