using System.Globalization;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// Wording and ordering shared by the writers, so JSON, Markdown and HTML never disagree on a label,
/// a timestamp or the order of the timeline.
/// </summary>
public static class ReportText
{
    /// <summary>UTC, second precision, invariant culture: the same instant always prints the same way.</summary>
    public static string Time(DateTimeOffset at) => Compliance.Checks.Evidence.Time(at);

    public static string Time(DateTimeOffset? at) => at is { } t ? Time(t) : "not observed";

    public static string Outcome(Outcome outcome) => outcome.ToString();

    public static string Headline(ComplianceState state) => state switch
    {
        ComplianceState.True => "Compliant",
        ComplianceState.False => "Not compliant",
        _ => "Compliance not proven",
    };

    /// <summary>"N/M controls", from the evaluator's summary.</summary>
    public static string Controls(ComplianceReport report) => report.Summary.Text;

    /// <summary>One line per check: "check-id (Outcome): evidence".</summary>
    public static IEnumerable<string> Evidence(ControlResult control) =>
        control.Checks.Select(c => $"{c.CheckId} ({Outcome(c.Outcome)}): {c.Evidence}");

    /// <summary>Every check with what it proves and the observation that proves it, in catalogue order.</summary>
    public static IReadOnlyList<CheckRow> Checks(ComplianceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. report.Checks.Select(c => (Result: c, Definition: CheckCatalogue.Get(c.CheckId)))
            .Select(x => new CheckRow(x.Result, x.Definition.Proves, x.Definition.Observation))];
    }

    /// <summary>"none", or the not-covered control ids; the headline's companion, so a verdict never hides its scope.</summary>
    public static string NotCoveredIds(ComplianceReport report) =>
        report.NotCovered.Count == 0 ? "none" : string.Join(", ", report.NotCovered.Select(n => n.Id));

    /// <summary>Certificate state at the report time, so an auditor sees what was valid when it was generated.</summary>
    public static string CertificateState(CertificateEntry cert, DateTimeOffset generatedAt) => cert.NotAfter switch
    {
        null => "not issued or not read",
        var t when t <= generatedAt => "expired",
        var t => string.Create(CultureInfo.InvariantCulture, $"valid, {(int)(t.Value - generatedAt).TotalDays} days left"),
    };

    /// <summary>Drift and Events merged by time; ties keep a fixed order so output does not depend on input order.</summary>
    public static IReadOnlyList<TimelineEntry> Timeline(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var drift = report.Corrections.SelectMany(DriftEntries);
        var events = report.Events.Select(e => new TimelineEntry(e.At, "event", $"{e.Type} {e.Reason}", e.Message));
        return [.. drift.Concat(events)
            .OrderBy(e => e.At)
            .ThenBy(e => e.Kind, StringComparer.Ordinal)
            .ThenBy(e => e.Title, StringComparer.Ordinal)
            .ThenBy(e => e.Detail, StringComparer.Ordinal)];
    }

    private static IEnumerable<TimelineEntry> DriftEntries(DriftCorrection d)
    {
        yield return new TimelineEntry(d.DetectedAt, "drift", $"{d.Kind} drift on {d.Target}", d.Detail);
        if (d.CorrectedAt is { } at)
        {
            yield return new TimelineEntry(at, "correction", $"{d.Kind} corrected on {d.Target}", d.Detail);
        }
    }
}

/// <summary>One check of the report: its result, what it proves and the observation that proves it.</summary>
public sealed record CheckRow(CheckResult Result, string Proves, string Observation);

/// <summary>One row of the timeline: kind is "drift", "correction" or "event".</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Title, string Detail);
