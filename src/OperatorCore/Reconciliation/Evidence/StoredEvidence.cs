using HipaaMongo.Operator.Reporting;

namespace HipaaMongo.Operator.Reconciliation.Evidence;

/// <summary>The evidence ConfigMap as a pass reads it: the evidence record and the record of the last pass.</summary>
public sealed record StoredEvidence(EvidenceRecord? Record, PassRecord? Pass);
