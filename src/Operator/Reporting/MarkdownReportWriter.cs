using System.Net;
using System.Text;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// The evidence report as Markdown: a summary, the control matrix (id, title, result, evidence, observed at),
/// certificates and a timeline of drift and corrections. Cell text is HTML-encoded and pipes escaped, because
/// Markdown renderers pass raw HTML through and a pipe would split a table cell.
/// </summary>
public static class MarkdownReportWriter
{
    public static string Write(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        Summary(md, report);
        ControlMatrix(md, report.Compliance);
        Checks(md, report.Compliance);
        NotCovered(md, report.Compliance);
        Certificates(md, report);
        Timeline(md, report);
        Access(md, report.Access);
        return md.ToString();
    }

    private static void Access(StringBuilder md, AccessReview? access)
    {
        if (access is null)
        {
            return;
        }

        Line(md, "");
        Line(md, "## PHI access review");
        Line(md, "");
        Line(md, access.PhiAccess.Count == 0 ? "No declared user can remove, drop or update in a PHI database." : "");
        foreach (var finding in access.PhiAccess)
        {
            Line(md, $"- {Text(finding)}");
        }

        Line(md, "");
        Line(md, "## Access journal");
        Line(md, "");
        if (access.Journal.Count == 0)
        {
            Line(md, "No access change was recorded.");
            return;
        }

        Line(md, "| At | User | Change | Requested by | Requested at |");
        Line(md, "|---|---|---|---|---|");
        foreach (var j in access.Journal)
        {
            Line(md, $"| {ReportText.Time(j.At)} | {Text(j.User)} | {Text(j.Change)} | {Text(j.RequestedBy)} | {(j.RequestedAt is { } at ? ReportText.Time(at) : "")} |");
        }
    }

    private static void Summary(StringBuilder md, EvidenceReport r)
    {
        var s = r.Compliance.Summary;
        Line(md, $"# Evidence report: {Text(r.Namespace)}/{Text(r.Name)}");
        Line(md, "");
        Line(md, $"**{ReportText.Headline(s.State)}**: {Text(s.Text)}");
        Line(md, "");
        Line(md, $"- Generated at: {ReportText.Time(r.GeneratedAt)}");
        Line(md, $"- Evaluated at: {ReportText.Time(r.Compliance.EvaluatedAt)}");
        Line(md, $"- Operator version: {Text(r.OperatorVersion)}");
        Line(md, $"- Rendered config hash: {Text(r.RenderedConfigHash)}");
        Line(md, $"- Failing controls: {List(s.Failing)}");
        Line(md, $"- Unproven controls: {List(s.Unknown)}");
        Line(md, $"- Not covered (outside the verdict): {Text(ReportText.NotCoveredIds(r.Compliance))}");
        Line(md, "");
    }

    private static void Checks(StringBuilder md, ComplianceReport c)
    {
        Line(md, "## Checks");
        Line(md, "");
        Line(md, "| Check | Result | Proves | Observation | Evidence | Observed at |");
        Line(md, "|---|---|---|---|---|---|");
        foreach (var row in ReportText.Checks(c))
        {
            var k = row.Result;
            Line(md, $"| {Text(k.CheckId)} | {ReportText.Outcome(k.Outcome)} | {Text(row.Proves)} | {Text(row.Observation)} | {Text(k.Evidence)} | {ReportText.Time(k.ObservedAt)} |");
        }

        Line(md, "");
    }

    private static void NotCovered(StringBuilder md, ComplianceReport c)
    {
        Line(md, "## Not covered");
        Line(md, "");
        Line(md, "Outside the verdict: nothing the operator observes proves these controls.");
        Line(md, "");
        foreach (var n in c.NotCovered)
        {
            Line(md, $"- {Text(n.Id)} {Text(n.Title)}: {Text(n.Why)}");
        }

        Line(md, "");
    }

    private static void ControlMatrix(StringBuilder md, ComplianceReport c)
    {
        Line(md, "## Control matrix");
        Line(md, "");
        Line(md, "| Control | Title | Result | Evidence | Observed at |");
        Line(md, "|---|---|---|---|---|");
        foreach (var control in c.Controls)
        {
            var evidence = string.Join("<br>", ReportText.Evidence(control).Select(Text));
            Line(md, $"| {Text(control.Control.Id)} | {Text(control.Control.Title)} | {ReportText.Outcome(control.Outcome)} | {evidence} | {ReportText.Time(control.ObservedAt)} |");
        }

        Line(md, "");
    }

    private static void Certificates(StringBuilder md, EvidenceReport r)
    {
        Line(md, "## Certificates");
        Line(md, "");
        Line(md, "| Name | Subject | Not after | State |");
        Line(md, "|---|---|---|---|");
        foreach (var cert in r.Certificates)
        {
            Line(md, $"| {Text(cert.Name)} | {Text(cert.Subject)} | {ReportText.Time(cert.NotAfter)} | {ReportText.CertificateState(cert, r.GeneratedAt)} |");
        }

        Line(md, "");
    }

    private static void Timeline(StringBuilder md, EvidenceReport r)
    {
        Line(md, "## Timeline of drift and corrections");
        Line(md, "");
        var entries = ReportText.Timeline(r);
        if (entries.Count == 0)
        {
            Line(md, "No drift was detected and no Events were recorded in the period.");
        }

        foreach (var e in entries)
        {
            Line(md, $"- {ReportText.Time(e.At)} **{e.Kind}** {Text(e.Title)}: {Text(e.Detail)}");
        }
    }

    private static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "none" : string.Join(", ", ids.Select(Text));

    // HTML-encode (renderers pass raw HTML through), backslash-escape Markdown syntax (so evidence cannot
    // become a link, emphasis or a new table cell) and keep each value on one line.
    private static string Text(string value)
    {
        var text = new StringBuilder();
        foreach (var ch in WebUtility.HtmlEncode(value))
        {
            if (ch is '\r' or '\n')
            {
                text.Append(' ');
                continue;
            }

            if (MarkdownSyntax.Contains(ch, StringComparison.Ordinal))
            {
                text.Append('\\');
            }

            text.Append(ch);
        }

        return text.ToString();
    }

    private const string MarkdownSyntax = "\\`*_[]|!";

    private static void Line(StringBuilder md, string line) => md.Append(line).Append('\n');
}
