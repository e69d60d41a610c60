using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities;

[Description("Audit logging to a JSON file on the member's (encrypted) data volume. There is no way to turn it off.")]
[CelRule("!has(self.profile) || self.profile != 'PHIAccess' || (has(self.phiNamespaces) && size(self.phiNamespaces) > 0)",
    "audit profile PHIAccess requires at least one entry in phiNamespaces", FieldPath = ".phiNamespaces")]
[CelRule("(has(self.profile) && self.profile == 'PHIAccess') || !has(self.phiNamespaces) || size(self.phiNamespaces) == 0",
    "phiNamespaces is used only with audit profile PHIAccess", FieldPath = ".phiNamespaces")]
public sealed class AuditSpec
{
    public const string DefaultPath = "audit/auditLog.json";

    [JsonPropertyName("profile")]
    [Description("Baseline: authentication, authorization failures, user/role/schema/replica-set changes, startup and shutdown. PHIAccess: all of Baseline plus every successful read and write on phiNamespaces (auditAuthorizationSuccess on; costs throughput).")]
    [Default("Baseline")]
    public AuditProfile Profile { get; set; } = AuditProfile.Baseline;

    [JsonPropertyName("phiNamespaces")]
    [Description("Databases (patients) or collections (patients.records) holding PHI, whose reads and writes are recorded under PHIAccess. Letters, digits, '_' and '-' per part; admin, local and config are refused.")]
    [MaxItems(64)]
    [MaxLength(200)]
    [Pattern(ValidationPatterns.PhiNamespace)]
    [ListType("set")]
    [CelRule("self.all(n, !(n in ['admin', 'local', 'config']) && !n.startsWith('admin.') && !n.startsWith('local.') && !n.startsWith('config.'))",
        "phiNamespaces must not name the admin, local or config databases")]
    public List<string>? PhiNamespaces { get; set; }

    [JsonPropertyName("path")]
    [Description("The audit file, relative to the data volume (so it is encrypted with the data and survives restarts). Default audit/auditLog.json.")]
    [Default(DefaultPath)]
    [MaxLength(200)]
    [Pattern(ValidationPatterns.RelativePath)]
    public string Path { get; set; } = DefaultPath;
}
