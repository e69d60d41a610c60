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
    IReadOnlyList<ReportEvent> Events,
    AccessReview? Access = null);

/// <summary>
/// Who can touch PHI and how access changed: the access journal (every grant, revoke, creation, drop, rotation and
/// password change of a declared user, with its requester) and the PHI access review (each declared user that can
/// remove, drop or update in a PHI database, and through which role). Null when the report was made without it.
/// </summary>
public sealed record AccessReview(IReadOnlyList<AccessJournalEntry> Journal, IReadOnlyList<string> PhiAccess);

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
