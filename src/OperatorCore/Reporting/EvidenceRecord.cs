using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// What the operator keeps of its latest evaluation for `hipaa-mongo report`, stored as JSON (key
/// <see cref="DataKey"/>) in the ConfigMap named by <see cref="ConfigMapName"/>, owned by the HipaaMongo.
/// Corrections is a bounded ledger (newest <see cref="MaxCorrections"/>), so evidence outlives Event TTLs.
/// </summary>
public sealed record EvidenceRecord(
    ComplianceReport Compliance,
    string RenderedConfigHash,
    IReadOnlyList<CertificateEntry> Certificates,
    IReadOnlyList<DriftCorrection> Corrections)
{
    public const string DataKey = "evidence.json";
    public const int MaxCorrections = 200;

    public static string ConfigMapName(string resourceName) => resourceName + "-compliance-evidence";

    /// <summary>The evidence report for one resource: this record plus what the caller read (time, version, Events).</summary>
    public EvidenceReport ToReport(string @namespace, string name, DateTimeOffset generatedAt, string operatorVersion, IReadOnlyList<ReportEvent> events) =>
        new(@namespace, name, generatedAt, operatorVersion, Compliance, RenderedConfigHash, Certificates, Corrections, events);
}
