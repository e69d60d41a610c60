using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Tests.Compliance;

public class ControlChangesTests
{
    private static readonly ComplianceReport Passing = ComplianceEvaluator.Evaluate(Observations.Passing());
    private static readonly ComplianceReport NoPolicy =
        ComplianceEvaluator.Evaluate(Mutations.Failing["default-deny-present"](Observations.Passing()));

    [Fact]
    public void Deleting_the_network_policy_changes_exactly_the_controls_that_rely_on_it()
    {
        var changes = ControlChanges.Between(Passing, NoPolicy);

        Assert.Equal(["HIPAA-164.312(a)(1)", "MDB-SC-NETWORK"], changes.Select(c => c.ControlId).Order());
        Assert.All(changes, c => Assert.Equal((Outcome.Pass, Outcome.Fail, true), (c.From!.Value, c.To, c.IsWarning)));
        Assert.All(changes, c => Assert.Contains("default-deny NetworkPolicy is missing", c.Message));
    }

    [Fact]
    public void Correction_reports_the_recovery()
    {
        var changes = ControlChanges.Between(NoPolicy, Passing);

        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Equal((Outcome.Fail, Outcome.Pass, false), (c.From!.Value, c.To, c.IsWarning)));
        Assert.Contains("MDB-SC-NETWORK Limit network exposure: failed -> passed.", changes.Select(c => c.Message));
    }

    [Fact]
    public void No_change_no_event_and_first_evaluation_reports_only_non_passing()
    {
        Assert.Empty(ControlChanges.Between(Passing, Passing));
        Assert.Empty(ControlChanges.Between(null, Passing));
        Assert.Equal(2, ControlChanges.Between(null, NoPolicy).Count);
    }
}
