using System.Net;
using System.Text;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// The evidence report as one self-contained HTML page: inline CSS, no scripts, no external resources
/// (a Content-Security-Policy of default-src 'none' makes a browser refuse any that slipped in), and every
/// value HTML-encoded. An auditor can archive the single file and open it offline years later.
/// </summary>
public static class HtmlReportWriter
{
    public static string Write(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        Head(html, report);
        Header(html, report);
        ControlMatrix(html, report.Compliance);
        Checks(html, report.Compliance);
        NotCovered(html, report.Compliance);
        Certificates(html, report);
        Timeline(html, report);
        Access(html, report.Access);
        Line(html, "</main>");
        Line(html, "</body>");
        Line(html, "</html>");
        return html.ToString();
    }

    private static void Head(StringBuilder html, EvidenceReport r)
    {
        Line(html, "<!DOCTYPE html>");
        Line(html, "<html lang=\"en\">");
        Line(html, "<head>");
        Line(html, "<meta charset=\"utf-8\">");
        Line(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">");
        Line(html, $"<title>Evidence report: {E(r.Namespace)}/{E(r.Name)}</title>");
        Line(html, $"<style>{HtmlReportStyle.Css}</style>");
        Line(html, "</head>");
        Line(html, "<body>");
        Line(html, "<main>");
    }

    private static void Header(StringBuilder html, EvidenceReport r)
    {
        var s = r.Compliance.Summary;
        Line(html, $"<header id=\"summary\" class=\"{StateClass(s.State)}\">");
        Line(html, $"<h1>Evidence report: {E(r.Namespace)}/{E(r.Name)}</h1>");
        Line(html, $"<p class=\"headline\"><span id=\"compliant\">{ReportText.Headline(s.State)}</span> <span id=\"controls\">{E(s.Text)}</span></p>");
        Line(html, "<dl>");
        Term(html, "Generated at", ReportText.Time(r.GeneratedAt));
        Term(html, "Evaluated at", ReportText.Time(r.Compliance.EvaluatedAt));
        Term(html, "Operator version", r.OperatorVersion);
        Term(html, "Rendered config hash", r.RenderedConfigHash);
        Term(html, "Failing controls", s.Failing.Count == 0 ? "none" : string.Join(", ", s.Failing));
        Term(html, "Unproven controls", s.Unknown.Count == 0 ? "none" : string.Join(", ", s.Unknown));
        Term(html, "Not covered (outside the verdict)", ReportText.NotCoveredIds(r.Compliance));
        Line(html, "</dl>");
        Line(html, "</header>");
    }

    private static void ControlMatrix(StringBuilder html, ComplianceReport c)
    {
        Line(html, "<section>");
        Line(html, "<h2>Control matrix</h2>");
        Line(html, $"<p class=\"legend\">{E(Legend)}</p>");
        Line(html, "<table id=\"control-matrix\">");
        Line(html, "<thead><tr><th>Control</th><th>Title</th><th>Result</th><th>Evidence</th><th>Observed at</th></tr></thead>");
        Line(html, "<tbody>");
        foreach (var control in c.Controls)
        {
            var outcome = ReportText.Outcome(control.Outcome);
            var evidence = string.Concat(ReportText.Evidence(control).Select(e => $"<li>{E(e)}</li>"));
            Line(html, $"<tr data-control=\"{E(control.Control.Id)}\" data-result=\"{outcome}\">"
                + $"<td class=\"id\">{E(control.Control.Id)}</td><td>{E(control.Control.Title)}</td>"
                + $"<td class=\"result {outcome.ToLowerInvariant()}\">{outcome}</td>"
                + $"<td><ul>{evidence}</ul></td><td class=\"at\">{ReportText.Time(control.ObservedAt)}</td></tr>");
        }

        Line(html, "</tbody>");
        Line(html, "</table>");
        Line(html, "</section>");
    }

    private static void Checks(StringBuilder html, ComplianceReport c)
    {
        Line(html, "<section>");
        Line(html, "<h2>Checks</h2>");
        Line(html, "<table id=\"checks\">");
        Line(html, "<thead><tr><th>Check</th><th>Result</th><th>Proves</th><th>Observation</th><th>Evidence</th><th>Observed at</th></tr></thead>");
        Line(html, "<tbody>");
        foreach (var row in ReportText.Checks(c))
        {
            var k = row.Result;
            var outcome = ReportText.Outcome(k.Outcome);
            Line(html, $"<tr data-check=\"{E(k.CheckId)}\" data-result=\"{outcome}\"><td class=\"id\">{E(k.CheckId)}</td>"
                + $"<td class=\"result {outcome.ToLowerInvariant()}\">{outcome}</td><td>{E(row.Proves)}</td><td>{E(row.Observation)}</td>"
                + $"<td>{E(k.Evidence)}</td><td class=\"at\">{ReportText.Time(k.ObservedAt)}</td></tr>");
        }

        Line(html, "</tbody>");
        Line(html, "</table>");
        Line(html, "</section>");
    }

    private static void NotCovered(StringBuilder html, ComplianceReport c)
    {
        Line(html, "<section>");
        Line(html, "<h2>Not covered</h2>");
        Line(html, "<p class=\"legend\">Outside the verdict: nothing the operator observes proves these controls.</p>");
        Line(html, "<ul id=\"not-covered\">");
        foreach (var n in c.NotCovered)
        {
            Line(html, $"<li data-control=\"{E(n.Id)}\"><strong>{E(n.Id)}</strong> {E(n.Title)}: {E(n.Why)}</li>");
        }

        Line(html, "</ul>");
        Line(html, "</section>");
    }

    private static void Certificates(StringBuilder html, EvidenceReport r)
    {
        Line(html, "<section>");
        Line(html, "<h2>Certificates</h2>");
        Line(html, "<table id=\"certificates\">");
        Line(html, "<thead><tr><th>Name</th><th>Subject</th><th>Not after</th><th>State</th></tr></thead>");
        Line(html, "<tbody>");
        foreach (var cert in r.Certificates)
        {
            var state = ReportText.CertificateState(cert, r.GeneratedAt);
            var css = state.StartsWith("valid", StringComparison.Ordinal) ? "pass" : state == "expired" ? "fail" : "unknown";
            Line(html, $"<tr><td>{E(cert.Name)}</td><td>{E(cert.Subject)}</td><td>{ReportText.Time(cert.NotAfter)}</td>"
                + $"<td class=\"result {css}\">{E(state)}</td></tr>");
        }

        Line(html, "</tbody>");
        Line(html, "</table>");
        Line(html, "</section>");
    }

    private static void Timeline(StringBuilder html, EvidenceReport r)
    {
        Line(html, "<section>");
        Line(html, "<h2>Timeline of drift and corrections</h2>");
        var entries = ReportText.Timeline(r);
        if (entries.Count == 0)
        {
            Line(html, "<p>No drift was detected and no Events were recorded in the period.</p>");
        }

        Line(html, "<ol id=\"timeline\">");
        foreach (var e in entries)
        {
            Line(html, $"<li class=\"{e.Kind}\"><time>{ReportText.Time(e.At)}</time> <strong>{E(e.Kind)}</strong> "
                + $"{E(e.Title)}: {E(e.Detail)}</li>");
        }

        Line(html, "</ol>");
        Line(html, "</section>");
    }

    private static void Access(StringBuilder html, AccessReview? access)
    {
        if (access is null)
        {
            return;
        }

        Line(html, "<section>");
        Line(html, "<h2>PHI access review</h2>");
        Line(html, access.PhiAccess.Count == 0 ? "<p>No declared user can remove, drop or update in a PHI database.</p>" : "<ul id=\"phi-access\">");
        foreach (var finding in access.PhiAccess)
        {
            Line(html, $"<li>{E(finding)}</li>");
        }

        Line(html, access.PhiAccess.Count == 0 ? "" : "</ul>");
        Line(html, "<h2>Access journal</h2>");
        Line(html, "<table id=\"access-journal\"><thead><tr><th>At</th><th>User</th><th>Change</th><th>Requested by</th><th>Requested at</th></tr></thead><tbody>");
        foreach (var j in access.Journal)
        {
            Line(html, $"<tr><td>{ReportText.Time(j.At)}</td><td>{E(j.User)}</td><td>{E(j.Change)}</td><td>{E(j.RequestedBy)}</td>"
                + $"<td>{(j.RequestedAt is { } at ? ReportText.Time(at) : "")}</td></tr>");
        }

        Line(html, "</tbody></table>");
        Line(html, "</section>");
    }

    // An auditor's first question about a matrix with Unknown in it.
    private const string Legend =
        "Pass: every check was proven on a live read within the verification interval. Fail: a live read showed a violation. "
        + "Unknown: no fresh live read could prove it (for example an unreachable member, or a member that does not report "
        + "its master key); Unknown never counts as Pass. The verdict covers the controls in this matrix; the ones listed "
        + "under Not covered are outside it.";

    private static void Term(StringBuilder html, string term, string value) =>
        Line(html, $"<dt>{E(term)}</dt><dd>{E(value)}</dd>");

    private static string StateClass(ComplianceState state) => state switch
    {
        ComplianceState.True => "pass",
        ComplianceState.False => "fail",
        _ => "unknown",
    };

    // WebUtility.HtmlEncode encodes <, >, &, " and ', so values are safe in text and in quoted attributes.
    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static void Line(StringBuilder html, string line) => html.Append(line).Append('\n');
}
