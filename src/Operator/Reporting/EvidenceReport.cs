using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// Everything an auditor keeps for one HipaaMongo over one period. A plain value: the
/// caller reads the cluster and the clock; the writers only render, so the same report always renders
/// to the same bytes.
/// </summary>
public sealed record EvidenceReport(
    string Namespace,
    string Name,
    DateTimeOffset GeneratedAt,
    string OperatorVersion,
    ComplianceReport Compliance,
    string RenderedConfigHash,
    IReadOnlyList<CertificateEntry> Certificates,
    IReadOnlyList<DriftCorrection> Corrections,
    IReadOnlyList<ReportEvent> Events);

/// <summary>One certificate the deployment serves or presents; NotAfter null when not issued or not read.</summary>
public sealed record CertificateEntry(string Name, string Subject, DateTimeOffset? NotAfter);

/// <summary>
/// A drift the operator found and (when CorrectedAt is set) put back: what kind, on which object, and a
/// sentence saying what differed.
/// </summary>
public sealed record DriftCorrection(
    DateTimeOffset DetectedAt,
    DateTimeOffset? CorrectedAt,
    string Kind,
    string Target,
    string Detail);

/// <summary>A Kubernetes Event of the period (type is Normal or Warning).</summary>
public sealed record ReportEvent(DateTimeOffset At, string Type, string Reason, string Message);
