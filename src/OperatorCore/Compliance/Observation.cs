using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Compliance;

/// <summary>
/// Everything the evaluator may look at, captured once: the desired state, what Kubernetes and each member
/// showed, the certificates, and the clock. The evaluator is pure over this value.
/// </summary>
public sealed record Observation
{
    /// <summary>The evaluation time; reads older than Now - VerificationInterval are stale.</summary>
    public required DateTimeOffset Now { get; init; }
    public required TimeSpan VerificationInterval { get; init; }
    public required DesiredFacts Desired { get; init; }
    public required KubernetesFindings Kubernetes { get; init; }
    public required IReadOnlyList<MemberFinding> Members { get; init; }
    public required IReadOnlyList<CertificateFinding> Certificates { get; init; }

    /// <summary>Why a read taken at <paramref name="at"/> cannot prove anything now, or null when it is fresh.</summary>
    public string? WhyNotFresh(DateTimeOffset at) =>
        IsFresh(at) ? null
        : at > Now ? "is later than the evaluation time (clock skew)"
        : "is older than the verification interval (stale)";

    /// <summary>True when a read taken at <paramref name="at"/> is within the last verification interval.</summary>
    public bool IsFresh(DateTimeOffset? at) =>
        at is { } t && VerificationInterval > TimeSpan.Zero && t <= Now && t >= Now - VerificationInterval;
}

/// <summary>
/// The desired state: the options a running member must show (<see cref="ExpectedOptions.For"/>) and the
/// declared member count. Expected values come from here, never restated in the checks.
/// </summary>
public sealed record DesiredFacts(IReadOnlyList<ExpectedOption> Options, int Members)
{
    public static DesiredFacts For(BaselineModel model) => new(ExpectedOptions.For(model), model.Members);

    /// <summary>The expected value at a config path, or null when the desired state does not name it.</summary>
    public object? Value(string path) => Options.FirstOrDefault(o => o.Path == path)?.Value;
}

/// <summary>
/// One certificate (cert-manager status.notAfter); NotAfter null when not yet issued or not read. Differences: every
/// way its live spec differs from the render as the API server stores it (isCA, ipAddresses, usages ...), empty when
/// none, null when it was not compared.
/// </summary>
public sealed record CertificateFinding(string Name, DateTimeOffset? NotAfter, DateTimeOffset ObservedAt, IReadOnlyList<string>? Differences = null);
