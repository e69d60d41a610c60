using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// EvidenceRecord to its stored shape: ids only for controls and checks (refused when not in the catalogues,
/// so every record this writes can be read back), text capped, list lengths bounded, corrections in time order.
/// </summary>
internal static class EvidenceRecordWrite
{
    /// <summary>More than a replica set has (member, KMIP client, LDAP client); bounds the record's size.</summary>
    public const int MaxCertificates = 32;

    /// <summary>There are five safeguard conditions; the cap only bounds size.</summary>
    public const int MaxSafeguards = 8;

    public static EvidenceRecordDocument ToDocument(EvidenceRecord record, int version)
    {
        ArgumentNullException.ThrowIfNull(record);
        var c = record.Compliance;
        RequireCatalogued(c);
        return new EvidenceRecordDocument(
            version,
            StoredText.Time(c.EvaluatedAt),
            StoredText.Cap(record.RenderedConfigHash, StoredText.ShortLength),
            new StoredSummary(c.Summary.State.ToString(), c.Summary.Passed, c.Summary.Total, [.. c.Summary.Failing], [.. c.Summary.Unknown]),
            [.. c.Checks.Select(k => new StoredCheck(k.CheckId, k.Outcome.ToString(), Long(k.Evidence), StoredText.Time(k.ObservedAt)))],
            [.. c.Controls.Select(r => new StoredControl(r.Control.Id, r.Outcome.ToString(), StoredText.Time(r.ObservedAt), [.. r.Checks.Select(k => k.CheckId)]))],
            [.. c.Safeguards.Take(MaxSafeguards).Select(s => new StoredSafeguard(Short(s.Type), Short(s.Status), Short(s.Reason), Long(s.Message)))],
            [.. record.Certificates.Take(MaxCertificates).Select(x => new StoredCertificate(Short(x.Name), Short(x.Subject), StoredText.Time(x.NotAfter)))],
            [.. EvidenceLedger.Newest(record.Corrections.Select(Capped), EvidenceRecord.MaxCorrections).Select(Correction)]);
    }

    // Capped before ordering, so the order of a record read back (already capped) is the same.
    private static DriftCorrection Capped(DriftCorrection d) =>
        d with { Kind = Short(d.Kind), Target = Short(d.Target), Detail = Long(d.Detail) };

    private static StoredCorrection Correction(DriftCorrection d) =>
        new(StoredText.Time(d.DetectedAt), StoredText.Time(d.CorrectedAt), d.Kind, d.Target, d.Detail);

    // The reader resolves ids against the catalogues; writing an id it would refuse is a caller bug.
    private static void RequireCatalogued(ComplianceReport c)
    {
        var checks = c.Checks.Select(k => k.CheckId).ToList();
        var controls = c.Controls.Select(r => r.Control.Id).ToList();
        var refs = c.Controls.SelectMany(r => r.Checks.Select(k => k.CheckId));
        var unknown = checks.Where(id => !Catalogues.CheckIds.Contains(id))
            .Concat(controls.Concat(c.Summary.Failing).Concat(c.Summary.Unknown).Where(id => !Catalogues.ControlIds.ContainsKey(id)))
            .Concat(refs.Where(id => !checks.Contains(id)))
            .ToList();
        if (unknown.Count > 0 || checks.Distinct().Count() != checks.Count || controls.Distinct().Count() != controls.Count)
        {
            throw new ArgumentException(
                $"the compliance report has unknown or duplicate control/check ids ({string.Join(", ", unknown.Take(5))})", nameof(c));
        }
    }

    private static string Short(string text) => StoredText.Cap(text, StoredText.ShortLength);

    private static string Long(string text) => StoredText.Cap(text, StoredText.LongLength);
}

/// <summary>Lookups over the catalogues this build knows.</summary>
internal static class Catalogues
{
    public static IReadOnlySet<string> CheckIds { get; } = CheckCatalogue.All.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, Control> ControlIds { get; } = ControlCatalogue.All.ToDictionary(c => c.Id, StringComparer.Ordinal);
}
