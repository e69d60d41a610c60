using System.Text.Json;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// The machine-readable evidence report: camelCase, fields in a fixed order (<see cref="ReportDocument"/>),
/// corrections and Events sorted by time, so two runs over the same report are byte-identical.
/// </summary>
public static class JsonReportWriter
{
    public const string Schema = "hipaa-mongo.evidence-report/v2";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        // The default encoder stays: it escapes <, > and &, so hostile evidence is inert even if the JSON is
        // pasted into a web page.
    };

    public static string Write(EvidenceReport report) => Write(ToDocument(report));

    public static string Write(ReportDocument document) => JsonSerializer.Serialize(document, Options) + "\n";

    /// <summary>Reads a report back (for tools that compare reports); bad input is a clear FormatException.</summary>
    public static ReportDocument Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ReportDocument>(json, Options)
                ?? throw new FormatException("the evidence report is empty (null)");
        }
        catch (JsonException e)
        {
            throw new FormatException($"not an evidence report: {e.Message}", e);
        }
    }

    public static ReportDocument ToDocument(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = report.Compliance;
        return new ReportDocument(
            Schema,
            new ResourceDto(report.Namespace, report.Name),
            ReportText.Time(report.GeneratedAt),
            report.OperatorVersion,
            report.RenderedConfigHash,
            Summary(c),
            [.. c.Controls.Select(Control)],
            [.. ReportText.Checks(c).Select(k => new CheckDefinitionDto(k.Result.CheckId, ReportText.Outcome(k.Result.Outcome), k.Proves,
                k.Observation, k.Result.Evidence, OptionalTime(k.Result.ObservedAt)))],
            [.. c.NotCovered.Select(n => new NotCoveredDto(n.Id, n.Framework, n.Title, n.Why))],
            [.. c.Safeguards.Select(s => new SafeguardDto(s.Type, s.Status, s.Reason, s.Message))],
            [.. report.Certificates.Select(x => Certificate(x, report.GeneratedAt))],
            [.. report.Corrections.OrderBy(d => d.DetectedAt).ThenBy(d => d.Target, StringComparer.Ordinal).Select(Drift)],
            [.. report.Events.OrderBy(e => e.At).ThenBy(e => e.Reason, StringComparer.Ordinal).Select(Event)],
            report.Access is { } access
                ? new AccessDto([.. access.Journal.Select(j => new AccessChangeDto(ReportText.Time(j.At), j.User, j.Change, j.RequestedBy, OptionalTime(j.RequestedAt)))],
                    [.. access.PhiAccess])
                : null);
    }

    private static SummaryDto Summary(ComplianceReport c) => new(
        c.Summary.State.ToString(), c.Summary.Text, c.Summary.Passed, c.Summary.Total,
        [.. c.Summary.Failing], [.. c.Summary.Unknown], ReportText.Time(c.EvaluatedAt));

    private static ControlDto Control(ControlResult r) => new(
        r.Control.Id, r.Control.Framework, r.Control.Title, r.Control.Family.ToString(),
        ReportText.Outcome(r.Outcome), OptionalTime(r.ObservedAt), r.Control.Enforcement,
        [.. r.Checks.Select(k => new CheckDto(k.CheckId, ReportText.Outcome(k.Outcome), k.Evidence, OptionalTime(k.ObservedAt)))]);

    private static CertificateDto Certificate(CertificateEntry x, DateTimeOffset at) =>
        new(x.Name, x.Subject, OptionalTime(x.NotAfter), ReportText.CertificateState(x, at));

    private static DriftDto Drift(DriftCorrection d) =>
        new(ReportText.Time(d.DetectedAt), OptionalTime(d.CorrectedAt), d.Kind, d.Target, d.Detail);

    private static EventDto Event(ReportEvent e) => new(ReportText.Time(e.At), e.Type, e.Reason, e.Message);

    private static string? OptionalTime(DateTimeOffset? at) => at is { } t ? ReportText.Time(t) : null;
}
