using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Drift;
using k8s.Models;
using static HipaaMongo.Operator.Tests.Drift.DriftFixture;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>
/// NetworkPolicy semantics from the Kubernetes docs (concepts/services-networking/network-policies):
/// policies are additive, an empty podSelector selects every pod in the namespace, and without
/// policyTypes a policy is Ingress plus Egress only when it has egress rules.
/// </summary>
public class ForeignPolicyDetectorTests
{
    private const string Ns = "clinical";

    private static readonly Dictionary<string, string> PodLabels = Labels.For(Name, Labels.Database);

    private static List<string> Ours() => [.. Render().OfType<V1NetworkPolicy>().Select(p => p.Metadata.Name)];

    [Fact]
    public void Our_own_policies_are_never_foreign()
    {
        var live = Render().OfType<V1NetworkPolicy>().ToList();
        Assert.NotEmpty(live);
        Assert.Empty(ForeignPolicyDetector.Detect(PodLabels, Ns, live, Ours()));
    }

    [Fact]
    public void An_allow_all_ingress_policy_selecting_every_pod_is_reported_not_deleted()
    {
        var open = Policy("allow-all", new V1LabelSelector(), ingress: 1);
        var finding = Assert.Single(ForeignPolicyDetector.Detect(PodLabels, Ns, [open], Ours()));
        Assert.Equal((DriftClass.ForeignNetworkPolicyOpensPods, "allow-all", "spec.ingress"), (finding.Class, finding.Name, finding.Path));
        Assert.Equal(DriftChange.Added, finding.Change);
        Assert.False(ApplyDecision.From([finding]).WriteNeeded);
    }

    [Fact]
    public void From_a_render_the_pods_labels_namespace_and_our_names_are_used()
    {
        var state = Render();
        var live = state.OfType<V1NetworkPolicy>().Append(Policy("metrics-scrape", Select(Labels.ComponentKey, Labels.Database), ingress: 1)).ToList();
        var finding = Assert.Single(ForeignPolicyDetector.Detect(state, live));
        Assert.Equal(("metrics-scrape", Ns), (finding.Name, finding.Namespace));
    }

    [Fact]
    public void Egress_counts_only_when_declared_or_present()
    {
        var both = Policy("both", Select("app.kubernetes.io/instance", Name), ingress: 1, egress: 2, types: ["Ingress", "Egress"]);
        Assert.Equal(["spec.ingress", "spec.egress"], ForeignPolicyDetector.Detect(PodLabels, Ns, [both], Ours()).Select(f => f.Path));

        var ingressOnly = Policy("ingress-only", new V1LabelSelector(), egress: 2, types: ["Ingress"]);
        Assert.Empty(ForeignPolicyDetector.Detect(PodLabels, Ns, [ingressOnly], Ours()));
    }

    [Fact]
    public void A_pure_deny_policy_or_one_for_other_pods_or_namespaces_is_not_reported()
    {
        var deny = Policy("deny", new V1LabelSelector(), types: ["Ingress", "Egress"]);
        var otherPods = Policy("other", Select("app", "web"), ingress: 1);
        var otherNs = Policy("elsewhere", new V1LabelSelector(), ingress: 1, ns: "billing");
        Assert.Empty(ForeignPolicyDetector.Detect(PodLabels, Ns, [deny, otherPods, otherNs], Ours()));
    }

    [Theory]
    [InlineData("In", new[] { "phi-db", "x" }, true)]
    [InlineData("In", new[] { "x" }, false)]
    [InlineData("NotIn", new[] { "x" }, true)]
    [InlineData("NotIn", new[] { "phi-db" }, false)]
    [InlineData("Exists", new string[0], true)]
    [InlineData("DoesNotExist", new string[0], false)]
    public void Match_expressions_follow_label_selector_semantics(string op, string[] values, bool reported)
    {
        var selector = new V1LabelSelector
        {
            MatchExpressions = [new V1LabelSelectorRequirement { Key = Labels.InstanceKey, OperatorProperty = op, Values = values }],
        };
        var findings = ForeignPolicyDetector.Detect(PodLabels, Ns, [Policy("expr", selector, ingress: 1)], Ours());
        Assert.Equal(reported, findings.Count == 1);
    }

    private static V1LabelSelector Select(string key, string value) =>
        new() { MatchLabels = new Dictionary<string, string> { [key] = value } };

    private static V1NetworkPolicy Policy(string name, V1LabelSelector selector, int ingress = 0, int egress = 0, List<string>? types = null, string ns = Ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = selector,
            PolicyTypes = types,
            Ingress = ingress == 0 ? null : [.. Enumerable.Range(0, ingress).Select(_ => new V1NetworkPolicyIngressRule())],
            Egress = egress == 0 ? null : [.. Enumerable.Range(0, egress).Select(_ => new V1NetworkPolicyEgressRule())],
        },
    };
}
