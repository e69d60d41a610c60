namespace HipaaMongo.Operator.Reporting;

// The JSON shape of the evidence report. Properties serialize in declaration order, so this file is
// the field order (docs/report.md). Times are ReportText.Time strings, outcomes are "Pass"/"Fail"/"Unknown".

/// <summary>The whole JSON document; Schema names the format so later versions can be told apart.</summary>
public sealed record ReportDocument(
    string Schema,
    ResourceDto Resource,
    string GeneratedAt,
    string OperatorVersion,
    string RenderedConfigHash,
    SummaryDto Summary,
    IReadOnlyList<ControlDto> Controls,
    IReadOnlyList<CheckDefinitionDto> Checks,
    IReadOnlyList<NotCoveredDto> NotCovered,
    IReadOnlyList<SafeguardDto> Safeguards,
    IReadOnlyList<CertificateDto> Certificates,
    IReadOnlyList<DriftDto> Corrections,
    IReadOnlyList<EventDto> Events,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    AccessDto? Access = null);

/// <summary>The access journal (oldest first) and the PHI access review.</summary>
public sealed record AccessDto(IReadOnlyList<AccessChangeDto> Journal, IReadOnlyList<string> PhiAccess);

public sealed record AccessChangeDto(string At, string User, string Change, string RequestedBy, string? RequestedAt);

public sealed record ResourceDto(string Namespace, string Name);

public sealed record SummaryDto(
    string Compliant,
    string Text,
    int Passed,
    int Total,
    IReadOnlyList<string> Failing,
    IReadOnlyList<string> Unknown,
    string EvaluatedAt);

public sealed record ControlDto(
    string Id,
    string Framework,
    string Title,
    string Family,
    string Result,
    string? ObservedAt,
    string Enforcement,
    IReadOnlyList<CheckDto> Checks);

public sealed record CheckDto(string Id, string Result, string Evidence, string? ObservedAt);

/// <summary>One check with its result, what it proves and the observation that proves it.</summary>
public sealed record CheckDefinitionDto(string Id, string Result, string Proves, string Observation, string Evidence, string? ObservedAt);

/// <summary>A control outside the verdict and why nothing observed proves it.</summary>
public sealed record NotCoveredDto(string Id, string Framework, string Title, string Why);

public sealed record SafeguardDto(string Type, string Status, string Reason, string Message);

public sealed record CertificateDto(string Name, string Subject, string? NotAfter, string State);

public sealed record DriftDto(string DetectedAt, string? CorrectedAt, string Kind, string Target, string Detail);

public sealed record EventDto(string At, string Type, string Reason, string Message);
