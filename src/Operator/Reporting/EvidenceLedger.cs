using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// Pure ledger logic for the reconciler: the next EvidenceRecord from the previous one (null when the ConfigMap
/// does not exist yet), the latest evaluation and the drift corrected since. No I/O, no clock.
/// </summary>
public static class EvidenceLedger
{
    /// <summary>
    /// The record to store after an evaluation. Corrections are appended to the previous ledger; an entry with the
    /// same DetectedAt, Kind and Target replaces the earlier one (so an open drift is closed in place when it is
    /// corrected), and only the newest <see cref="EvidenceRecord.MaxCorrections"/> are kept.
    /// </summary>
    public static EvidenceRecord Next(
        EvidenceRecord? previous,
        ComplianceReport compliance,
        string renderedConfigHash,
        IReadOnlyList<CertificateEntry> certificates,
        IEnumerable<DriftCorrection> newCorrections)
    {
        ArgumentNullException.ThrowIfNull(compliance);
        ArgumentNullException.ThrowIfNull(renderedConfigHash);
        ArgumentNullException.ThrowIfNull(certificates);
        return new EvidenceRecord(compliance, renderedConfigHash, certificates,
            AppendCorrections(previous?.Corrections ?? [], newCorrections));
    }

    /// <summary>The ledger with <paramref name="added"/> merged in, oldest first, at most MaxCorrections long.</summary>
    public static IReadOnlyList<DriftCorrection> AppendCorrections(IReadOnlyList<DriftCorrection> ledger, IEnumerable<DriftCorrection> added)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(added);
        var byKey = new Dictionary<(DateTimeOffset, string, string), DriftCorrection>();
        foreach (var d in ledger.Concat(added))
        {
            byKey[(d.DetectedAt, d.Kind, d.Target)] = d;
        }

        return Newest(byKey.Values, EvidenceRecord.MaxCorrections);
    }

    /// <summary>The newest <paramref name="count"/> corrections, oldest first, in a fixed order for equal times.</summary>
    public static IReadOnlyList<DriftCorrection> Newest(IEnumerable<DriftCorrection> corrections, int count)
    {
        var ordered = corrections
            .OrderBy(d => d.DetectedAt)
            .ThenBy(d => d.Kind, StringComparer.Ordinal)
            .ThenBy(d => d.Target, StringComparer.Ordinal)
            .ThenBy(d => d.CorrectedAt)
            .ThenBy(d => d.Detail, StringComparer.Ordinal)
            .ToList();
        return ordered.Count <= count ? ordered : ordered[^count..];
    }
}
