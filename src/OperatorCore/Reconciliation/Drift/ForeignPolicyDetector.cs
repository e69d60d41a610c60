using HipaaMongo.Operator.Baseline;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// NetworkPolicies are additive: any policy that selects our pods and allows traffic widens the
/// default-deny fence, whoever wrote it. Such a policy is not ours to delete, so it is reported
/// (and NetworkIsolated goes False) instead of reverted.
/// </summary>
public static class ForeignPolicyDetector
{
    /// <summary>
    /// The same check with the pod labels, namespace and our policy names taken from a render:
    /// the labels are the StatefulSet's pod template labels, i.e. what the mongod pods carry.
    /// </summary>
    public static IReadOnlyList<DriftFinding> Detect(DesiredState desired, IEnumerable<V1NetworkPolicy> livePolicies)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var statefulSet = desired.OfType<V1StatefulSet>().Single();
        var ours = desired.OfType<V1NetworkPolicy>().Select(p => p.Metadata.Name);
        return Detect(
            statefulSet.Spec.Template.Metadata.Labels.AsReadOnly(),
            statefulSet.Metadata.NamespaceProperty,
            livePolicies,
            ours);
    }

    public static IReadOnlyList<DriftFinding> Detect(
        IReadOnlyDictionary<string, string> podLabels,
        string @namespace,
        IEnumerable<V1NetworkPolicy> livePolicies,
        IEnumerable<string> ourPolicyNames)
    {
        ArgumentNullException.ThrowIfNull(podLabels);
        ArgumentNullException.ThrowIfNull(livePolicies);
        var ours = new HashSet<string>(ourPolicyNames ?? [], StringComparer.Ordinal);
        return
        [
            .. livePolicies
                .Where(p => p.Metadata?.NamespaceProperty == @namespace && !ours.Contains(p.Metadata.Name))
                .Where(p => LabelSelectorMatcher.Matches(p.Spec?.PodSelector, podLabels))
                .SelectMany(Openings),
        ];
    }

    private static IEnumerable<DriftFinding> Openings(V1NetworkPolicy policy)
    {
        var spec = policy.Spec;
        var types = spec.PolicyTypes;

        // With policyTypes unset, Ingress always applies and Egress applies when egress rules exist.
        var ingress = (types is null || types.Contains("Ingress")) ? spec.Ingress?.Count ?? 0 : 0;
        var egress = (types is null || types.Contains("Egress")) ? spec.Egress?.Count ?? 0 : 0;
        if (ingress > 0)
        {
            yield return Finding(policy, "spec.ingress", ingress);
        }

        if (egress > 0)
        {
            yield return Finding(policy, "spec.egress", egress);
        }
    }

    private static DriftFinding Finding(V1NetworkPolicy policy, string path, int rules) => new(
        V1NetworkPolicy.KubeKind,
        policy.Metadata.NamespaceProperty,
        policy.Metadata.Name,
        path,
        "no allow rules from policies we do not own",
        $"{rules} allow rule(s) selecting our pods",
        DriftClass.ForeignNetworkPolicyOpensPods,
        DriftChange.Added);
}
