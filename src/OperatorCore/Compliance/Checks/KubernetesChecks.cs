namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>Network isolation and pod security read from the Kubernetes API (164.312(a)(1); CIS 3.3).</summary>
internal static class KubernetesChecks
{
    public static Finding DefaultDenyPolicyIsMissing(Observation o) =>
        Fresh(o, k => k.DefaultDenyPresent switch
        {
            null => Finding.Unknown("the default-deny NetworkPolicy was not read", k.ObservedAt),
            true => Finding.Pass("the default-deny NetworkPolicy is present", k.ObservedAt),
            false => Finding.Fail("the default-deny NetworkPolicy is missing", k.ObservedAt),
        });

    public static Finding DefaultDenyPolicyWasModified(Observation o) =>
        Fresh(o, k => (k.DefaultDenyPresent, k.DefaultDenyUnmodified) switch
        {
            (false, _) => Finding.Unknown("there is no default-deny NetworkPolicy to compare", k.ObservedAt),
            (_, null) => Finding.Unknown("the default-deny NetworkPolicy was not compared", k.ObservedAt),
            (_, true) => Finding.Pass("the default-deny NetworkPolicy matches the rendered policy", k.ObservedAt),
            (_, false) => Finding.Fail("the default-deny NetworkPolicy was changed from the rendered policy", k.ObservedAt),
        });

    // Policies are additive (kubernetes.io/docs/concepts/services-networking/network-policies: "policies are additive"):
    // a foreign policy selecting the members, or one of ours widened, admits more than the spec declares.
    public static Finding ExtraPolicyOpensPods(Observation o) =>
        Fresh(o, k => (k.PoliciesOpeningPods, k.OwnPoliciesChanged) switch
        {
            (null, _) => Finding.Unknown("other NetworkPolicies were not read", k.ObservedAt),
            ([_, ..] extra, _) => Finding.Fail($"NetworkPolicies not rendered by the operator admit traffic to the members: {Evidence.List(extra)}", k.ObservedAt),
            (_, [_, ..] changed) => Finding.Fail($"the operator's allow NetworkPolicies differ from their render: {Evidence.List(changed)}", k.ObservedAt),
            _ => Finding.Pass("no other NetworkPolicy admits traffic to the members", k.ObservedAt),
        });

    // The pass sentence says what was compared, so it never claims more than the comparison saw.
    public static Finding PodTemplateDiffersFromRendered(Observation o) =>
        Fresh(o, k => k.PodTemplateDifferences switch
        {
            null => Finding.Unknown(k.PodTemplateAbsentBecause is { } because
                ? $"there is no StatefulSet pod template to compare: {because}" : "the StatefulSet pod template was not read", k.ObservedAt),
            [] => Finding.Pass("the StatefulSet pod template equals the render as the API server stores it, every field compared "
                + "(securityContexts, host namespaces, env, volumes, service account ...: non-root, no privilege escalation, no hostPath)", k.ObservedAt),
            var found => Finding.Fail($"the StatefulSet pod template differs from the render: {Evidence.List(found)}", k.ObservedAt),
        });

    private static Finding Fresh(Observation o, Func<KubernetesFindings, Finding> rule)
    {
        var k = o.Kubernetes;
        if (k.ObservedAt is null)
        {
            return Finding.Unknown("the Kubernetes objects were not read");
        }

        return o.WhyNotFresh(k.ObservedAt.Value) is { } why
            ? Finding.Unknown($"the Kubernetes read ({Evidence.Time(k.ObservedAt.Value)}) {why}", k.ObservedAt)
            : rule(k);
    }
}
