using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Compliance;

/// <summary>A control's outcome: Fail if any check failed, else Unknown if any was unknown, else Pass.</summary>
public sealed record ControlResult(Control Control, Outcome Outcome, IReadOnlyList<CheckResult> Checks, DateTimeOffset? ObservedAt);

/// <summary>A safeguard condition as metav1.Condition fields (status is "True", "False" or "Unknown").</summary>
public sealed record SafeguardStatus(string Type, string Status, string Reason, string Message);

/// <summary>The headline: "21/23 controls" (in scope) and the ids that fail or could not be proven.</summary>
public sealed record ComplianceSummaryLine(
    ComplianceState State,
    int Passed,
    int Total,
    IReadOnlyList<string> Failing,
    IReadOnlyList<string> Unknown)
{
    public string Text => $"{Passed}/{Total} controls";
}

/// <summary>The evaluator's whole answer for one observation.</summary>
public sealed record ComplianceReport(
    DateTimeOffset EvaluatedAt,
    IReadOnlyList<CheckResult> Checks,
    IReadOnlyList<ControlResult> Controls,
    IReadOnlyList<SafeguardStatus> Safeguards,
    ComplianceSummaryLine Summary)
{
    /// <summary>True only when every control in scope passed on fresh live reads (see <see cref="NotCovered"/>).</summary>
    public bool Compliant => Summary.State == ComplianceState.True;

    /// <summary>The controls outside the scope, listed beside the verdict: Compliant says nothing about them.</summary>
    public IReadOnlyList<NotCoveredControl> NotCovered { get; init; } = ControlCatalogue.NotCovered;

    public CheckResult Check(string id) => Checks.First(c => c.CheckId == id);

    public ControlResult Control(string id) => Controls.First(c => c.Control.Id == id);

    public SafeguardStatus Safeguard(string type) => Safeguards.First(s => s.Type == type);

    /// <summary>The status.compliance block (counts are controls, failing lists control ids).</summary>
    public ComplianceSummary ToStatus() => new()
    {
        Compliant = Summary.State,
        Passed = Summary.Passed,
        Total = Summary.Total,
        Failing = [.. Summary.Failing],
        EvaluatedAt = EvaluatedAt.UtcDateTime,
    };
}
