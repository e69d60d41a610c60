using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// The stored shape back to an EvidenceRecord. Ids resolve against this build's catalogues; an id it does not
/// know is refused (FormatException), because a report that silently left out a control could hide a failure.
/// A control this build lists as not covered (ControlCatalogue.NotCovered) was in scope when an earlier build
/// wrote the record: it is read as recorded, and its enforcement text says that it has since left the scope and
/// why, so an upgrade neither loses the ledger nor presents an old outcome as today's rule.
/// </summary>
internal static class EvidenceRecordRead
{
    public static EvidenceRecord FromDocument(EvidenceRecordDocument d)
    {
        var checks = Items(d.Checks, "checks").Select(Check).ToList();
        var byId = new Dictionary<string, CheckResult>(StringComparer.Ordinal);
        foreach (var check in checks)
        {
            if (!byId.TryAdd(check.CheckId, check))
            {
                throw new FormatException($"checks: '{check.CheckId}' appears twice");
            }
        }

        var controls = Items(d.Controls, "controls").Select(c => Control(c, byId)).ToList();
        if (controls.Select(c => c.Control.Id).Distinct().Count() != controls.Count)
        {
            throw new FormatException("controls: a control id appears twice");
        }

        var compliance = new ComplianceReport(
            StoredText.ParseTime(d.EvaluatedAt, "evaluatedAt"),
            checks,
            controls,
            [.. Items(d.Safeguards, "safeguards").Select(s => new SafeguardStatus(s.Type, s.Status, s.Reason, s.Message))],
            Summary(d.Summary));
        return new EvidenceRecord(
            compliance,
            d.RenderedConfigHash,
            [.. Items(d.Certificates, "certificates").Select(c => new CertificateEntry(c.Name, c.Subject, StoredText.ParseOptionalTime(c.NotAfter, "certificates.notAfter")))],
            [.. Items(d.Corrections, "corrections").Select(Correction)]);
    }

    private static CheckResult Check(StoredCheck c)
    {
        if (!Catalogues.CheckIds.Contains(c.Id))
        {
            throw Unknown("check", c.Id);
        }

        return new CheckResult(c.Id, StoredText.ParseOutcome(c.Outcome, $"checks[{c.Id}].outcome"), c.Evidence,
            StoredText.ParseOptionalTime(c.ObservedAt, $"checks[{c.Id}].observedAt"));
    }

    private static ControlResult Control(StoredControl c, Dictionary<string, CheckResult> checks)
    {
        var control = Catalogues.ControlIds.GetValueOrDefault(c.Id) ?? Retired(c.Id) ?? throw Unknown("control", c.Id);
        var results = Items(c.Checks, $"controls[{c.Id}].checks")
            .Select(id => checks.GetValueOrDefault(id) ?? throw new FormatException($"controls[{c.Id}].checks: '{id}' is not in the record's checks"))
            .ToList();
        return new ControlResult(control, StoredText.ParseOutcome(c.Outcome, $"controls[{c.Id}].outcome"), results,
            StoredText.ParseOptionalTime(c.ObservedAt, $"controls[{c.Id}].observedAt"));
    }

    private static ComplianceSummaryLine Summary(StoredSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var failing = Items(s.Failing, "summary.failing");
        var unknown = Items(s.Unknown, "summary.unknown");
        foreach (var id in failing.Concat(unknown).Where(id => !Catalogues.ControlIds.ContainsKey(id) && Retired(id) is null))
        {
            throw Unknown("control", id);
        }

        if (s.Passed < 0 || s.Total < 0 || s.Passed > s.Total)
        {
            throw new FormatException($"summary: {s.Passed}/{s.Total} is not a count of controls");
        }

        return new ComplianceSummaryLine(StoredText.ParseState(s.State, "summary.state"), s.Passed, s.Total, failing, unknown);
    }

    // A control an earlier catalogue had in scope and this one lists as not covered (see the summary).
    private static Control? Retired(string? id) =>
        ControlCatalogue.NotCovered.FirstOrDefault(n => n.Id == id) is { } n
            ? new Control(n.Id, n.Framework, n.Title, ControlFamily.Workload,
                "recorded under an earlier catalogue; no longer in scope: " + n.Why, [], null)
            : null;

    private static DriftCorrection Correction(StoredCorrection c) => new(
        StoredText.ParseTime(c.DetectedAt, "corrections.detectedAt"),
        StoredText.ParseOptionalTime(c.CorrectedAt, "corrections.correctedAt"),
        c.Kind, c.Target, c.Detail);

    // System.Text.Json checks nullability of properties, not of list elements: a null element is refused here.
    private static List<T> Items<T>(IReadOnlyList<T?>? items, string field)
        where T : class =>
        items is null
            ? throw new FormatException($"{field} is missing")
            : [.. items.Select(i => i ?? throw new FormatException($"{field} has a null entry"))];

    private static FormatException Unknown(string what, string? id) => new(
        $"unknown {what} id '{id}': the record was written by a newer or different operator; use a hipaa-mongo build that knows it");
}
