namespace HipaaMongo.Operator.Compliance;

/// <summary>
/// What the Kubernetes API showed. A null field was not read (Unknown); ObservedAt null means no read at all.
/// </summary>
public sealed record KubernetesFindings
{
    public DateTimeOffset? ObservedAt { get; init; }

    /// <summary>The operator's default-deny NetworkPolicy exists.</summary>
    public bool? DefaultDenyPresent { get; init; }

    /// <summary>The default-deny policy's spec equals the rendered one.</summary>
    public bool? DefaultDenyUnmodified { get; init; }

    /// <summary>Names of NetworkPolicies not rendered by the operator that admit traffic to the pods.</summary>
    public IReadOnlyList<string>? PoliciesOpeningPods { get; init; }

    /// <summary>
    /// Every way the live StatefulSet pod template differs from the rendered one: each drift finding under
    /// spec.template (any field, not a list of classes) plus <see cref="PodSecurityComparison.Differences"/>, which
    /// compares the privilege surface whole (every securityContext, host namespaces, service account). Empty when
    /// neither found a difference; null when the StatefulSet was not read.
    /// </summary>
    public IReadOnlyList<string>? PodTemplateDifferences { get; init; }

    /// <summary>Nothing was read from Kubernetes.</summary>
    public static KubernetesFindings None { get; } = new();
}
