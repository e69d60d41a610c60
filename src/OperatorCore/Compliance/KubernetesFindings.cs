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
    /// The operator's own allow policies (members, operator, clients, egress) that differ from their render, each as
    /// "name: path is X, not Y". NetworkPolicies are additive, so a widened allow policy admits more than the spec
    /// declares as surely as a foreign one. Empty when all are as rendered; null when not compared.
    /// </summary>
    public IReadOnlyList<string>? OwnPoliciesChanged { get; init; }

    /// <summary>
    /// Every way the live StatefulSet pod template differs from the render as the API server stores it (a dry-run of
    /// the render), every field compared both ways except the documented list that belongs to others (docs/drift.md).
    /// Empty when nothing differs; null when the StatefulSet was not read.
    /// </summary>
    public IReadOnlyList<string>? PodTemplateDifferences { get; init; }

    /// <summary>
    /// Why there is no pod template to compare when the operator itself removed the StatefulSet for a moment (an
    /// orphaning delete to grow the volumes): CIS-3.3 stays Unknown with this reason rather than "not read", and never
    /// holds an earlier Pass, since no template exists to be as rendered. Null otherwise.
    /// </summary>
    public string? PodTemplateAbsentBecause { get; init; }

    /// <summary>Nothing was read from Kubernetes.</summary>
    public static KubernetesFindings None { get; } = new();
}
