using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>
/// The network check covers the operator's own allow policies too: NetworkPolicies are additive, so one of ours widened
/// (an empty from, a namespaceSelector {}) admits more than the spec declares, and the check names it.
/// </summary>
public sealed class OwnPolicyCheckTests
{
    [Fact]
    public void A_changed_allow_policy_fails_the_network_check_naming_it()
    {
        var changed = Observations.Passing().WithKubernetes(k => k with
        {
            OwnPoliciesChanged = ["phi-db-operator: spec.ingress[0].from[0].podSelector is absent, not {matchLabels: ...}"],
        });
        var finding = CheckCatalogue.Get("no-extra-policy").Evaluate(changed);
        Assert.Equal(Outcome.Fail, finding.Outcome);
        Assert.Contains("phi-db-operator", finding.Evidence, StringComparison.Ordinal);
        var report = ComplianceEvaluator.Evaluate(changed);
        Assert.Equal(Outcome.Fail, report.Control("MDB-SC-NETWORK").Outcome);
    }

    [Fact]
    public void Allow_policies_as_rendered_pass() =>
        Assert.Equal(Outcome.Pass, CheckCatalogue.Get("no-extra-policy").Evaluate(Observations.Passing().WithKubernetes(k => k with { OwnPoliciesChanged = [] })).Outcome);
}
