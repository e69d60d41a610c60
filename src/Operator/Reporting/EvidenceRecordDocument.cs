namespace HipaaMongo.Operator.Reporting;

// The stored JSON shape of an EvidenceRecord (ConfigMap <name>-compliance-evidence, key evidence.json).
// Controls and checks are stored by id and resolved against the catalogues on read. Times are UTC ISO 8601
// with up to 100 ns precision; outcomes are "Pass", "Fail" or "Unknown". Declaration order is field order.

/// <summary>The whole stored record; Version changes when a reader of the old shape would misread it.</summary>
public sealed record EvidenceRecordDocument(
    int Version,
    string EvaluatedAt,
    string RenderedConfigHash,
    StoredSummary Summary,
    IReadOnlyList<StoredCheck> Checks,
    IReadOnlyList<StoredControl> Controls,
    IReadOnlyList<StoredSafeguard> Safeguards,
    IReadOnlyList<StoredCertificate> Certificates,
    IReadOnlyList<StoredCorrection> Corrections);

public sealed record StoredSummary(string State, int Passed, int Total, IReadOnlyList<string> Failing, IReadOnlyList<string> Unknown);

public sealed record StoredCheck(string Id, string Outcome, string Evidence, string? ObservedAt);

/// <summary>A control result; Checks are ids of entries in the record's Checks list (evidence is stored once).</summary>
public sealed record StoredControl(string Id, string Outcome, string? ObservedAt, IReadOnlyList<string> Checks);

public sealed record StoredSafeguard(string Type, string Status, string Reason, string Message);

public sealed record StoredCertificate(string Name, string Subject, string? NotAfter);

public sealed record StoredCorrection(string DetectedAt, string? CorrectedAt, string Kind, string Target, string Detail);
