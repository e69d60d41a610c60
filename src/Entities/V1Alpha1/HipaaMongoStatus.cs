using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;
using k8s.Models;

namespace HipaaMongo.Entities;

[Description("The observed state, written only by the operator.")]
public sealed class HipaaMongoStatus
{
    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation the operator last acted on; when it differs from metadata.generation the status is stale.")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    [Description("Ready, Reconciling, Stalled and one condition per safeguard: TLSEnforced, EncryptedAtRest, AuditLogging, NetworkIsolated, Authentication.")]
    [ListType("map", "type")]
    [MaxItems(32)]
    public List<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("readyMembers")]
    [Description("How many members are healthy and verified.")]
    public int? ReadyMembers { get; set; }

    [JsonPropertyName("members")]
    [Description("The last verification of each member.")]
    [ListType("map", "name")]
    [MaxItems(7)]
    public List<MemberStatus>? Members { get; set; }

    [JsonPropertyName("tlsExpiresAt")]
    [Description("The earliest expiry among the certificates the members present.")]
    [Format("date-time")]
    public DateTime? TlsExpiresAt { get; set; }

    [JsonPropertyName("compliance")]
    [Description("Summary of the HIPAA control checks; the full evidence comes from hipaa-mongo report.")]
    public ComplianceSummary? Compliance { get; set; }

    [JsonPropertyName("featureCompatibilityVersion")]
    [Description("The replica set's featureCompatibilityVersion as its primary last reported it. After a major upgrade it is raised to spec.version's release once every member runs the new binary; a version below it is refused.")]
    [MaxLength(16)]
    public string? FeatureCompatibilityVersion { get; set; }

    [JsonPropertyName("phiAccess")]
    [Description("The access review: each HipaaMongoUser of this set that can remove, drop or update in a PHI database (spec.audit.phiNamespaces), and through which role, as the user's own status shows it; and each LDAP group of spec.ldap.groupRoleMappings whose roles can, as \"<group DN> (ldap group)\".")]
    [MaxItems(256)]
    public List<string>? PhiAccess { get; set; }
}

[Description("The last verification of one member.")]
public sealed class MemberStatus
{
    [JsonPropertyName("name")]
    [Required]
    [Description("The member's Pod name.")]
    public string Name { get; set; } = "";

    [JsonPropertyName("role")]
    [Description("Replica-set state: Primary, Secondary, Startup, Recovering, Arbiter, Down or Unknown.")]
    public MemberRole Role { get; set; } = MemberRole.Unknown;

    [JsonPropertyName("health")]
    [Description("Healthy when reachable over TLS and every runtime check passed.")]
    public MemberHealth Health { get; set; } = MemberHealth.Unknown;

    [JsonPropertyName("verifiedAt")]
    [Description("When the operator last verified this member.")]
    [Format("date-time")]
    public DateTime? VerifiedAt { get; set; }

    [JsonPropertyName("tlsExpiry")]
    [Description("Expiry of the certificate this member presents (serverStatus.security.SSLServerCertificateExpirationDate).")]
    [Format("date-time")]
    public DateTime? TlsExpiry { get; set; }

    [JsonPropertyName("kmipKeyId")]
    [Description("The KMIP master key id this member last reported it runs with (Percona serverStatus.encryptionAtRest.encryptionKeyId), kept while the member is not read; absent when the member reports none (MongoDB Enterprise, PSMDB before 8.0.12-4, no KMIP server).")]
    [MaxLength(256)]
    public string? KmipKeyId { get; set; }

    [JsonPropertyName("previousKmipKeyId")]
    [Description("The KMIP master key id this member reported before kmipKeyId (after a master-key rotation), kept until its key changes again.")]
    [MaxLength(256)]
    public string? PreviousKmipKeyId { get; set; }

    [JsonPropertyName("drift")]
    [Description("Settings found different from the baseline at the last check (and corrected), e.g. tlsMode.")]
    [MaxItems(64)]
    public List<string>? Drift { get; set; }
}

[Description("Pass/fail summary of the HIPAA controls.")]
public sealed class ComplianceSummary
{
    [JsonPropertyName("compliant")]
    [Description("True when every control passed on a fresh live read, False when any failed, Unknown before the first evaluation.")]
    public ComplianceState Compliant { get; set; } = ComplianceState.Unknown;

    [JsonPropertyName("passed")]
    [Description("Number of controls that passed.")]
    public int Passed { get; set; }

    [JsonPropertyName("total")]
    [Description("Number of controls evaluated.")]
    public int Total { get; set; }

    [JsonPropertyName("failing")]
    [Description("Identifiers of the failing controls.")]
    [MaxItems(256)]
    public List<string>? Failing { get; set; }

    [JsonPropertyName("evaluatedAt")]
    [Description("When the controls were last evaluated.")]
    [Format("date-time")]
    public DateTime? EvaluatedAt { get; set; }
}
