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
    /// Ways the StatefulSet's pod security differs from the rendered one (e.g. "runAsNonRoot is not true");
    /// empty when intact.
    /// </summary>
    public IReadOnlyList<string>? PodSecurityDeviations { get; init; }

    /// <summary>Nothing was read from Kubernetes.</summary>
    public static KubernetesFindings None { get; } = new();
}
