using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities;

/// <summary>The desired state. Every choice here is among secure options: nothing turns a safeguard off.</summary>
[Description("The desired hardened MongoDB replica set. TLS, x.509 member authentication, authorization, audit logging, KMIP encryption at rest and default-deny networking are always on; the spec only chooses among secure options.")]
public sealed class HipaaMongoSpec
{
    [JsonPropertyName("edition")]
    [Required]
    [Description("The server distribution: Enterprise or Percona. Community is refused: it has no audit log and no encryption at rest (HIPAA 164.312(b) and 164.312(a)(2)(iv)). Immutable.")]
    [CelRule("self == oldSelf", "edition is immutable: migrate the data to a new HipaaMongo instead")]
    [CelRule("self != 'Community'", EditionPolicy.CommunityRefusedMessage)]
    public MongoEdition Edition { get; set; }

    [JsonPropertyName("version")]
    [Required]
    [Description("The MongoDB server version, 7.0.x or 8.0.x (e.g. 8.0.4). Upgrades go one major version at a time; downgrades are refused.")]
    [Pattern(ValidationPatterns.Version)]
    [MaxLength(32)]
    [CelRule("int(self.split('.')[0]) >= int(oldSelf.split('.')[0])", Validation.CoreRules.DowngradeMessage,
        MessageExpression = "'version downgrade from ' + oldSelf + ' to ' + self + ' is refused: " + Validation.CoreRules.DowngradeReason + "'")]
    public string Version { get; set; } = "";

    [JsonPropertyName("image")]
    [Description("Optional container image override (e.g. a mirrored registry). It must be the same edition and version; the operator verifies buildInfo at run time.")]
    [Pattern(ValidationPatterns.Image)]
    [MaxLength(512)]
    public string? Image { get; set; }

    [JsonPropertyName("members")]
    [Description("Replica-set members: 3, 5 or 7 (an odd number keeps a majority). Change by one step at a time.")]
    [Default(3)]
    [Enum(3, 5, 7)]
    [CelRule("self - oldSelf <= 2 && oldSelf - self <= 2", "members change by one step at a time (3 -> 5 -> 7, or back)")]
    public int Members { get; set; } = 3;

    [JsonPropertyName("storage")]
    [Required]
    [Description("The persistent volume of each member (data, journal, FTDC and audit log).")]
    public StorageSpec Storage { get; set; } = new();

    [JsonPropertyName("resources")]
    [Description("CPU and memory requests and limits of the mongod container.")]
    public ComputeResources? Resources { get; set; }

    [JsonPropertyName("tls")]
    [Description("Certificates for TLS and x.509 member authentication (requireTLS is always on). Without an issuerRef the operator creates a namespaced CA chain.")]
    [DefaultJson("{}")]
    public TlsSpec Tls { get; set; } = new();

    [JsonPropertyName("encryption")]
    [Required]
    [Description("Encryption at rest (WiredTiger encrypted storage engine) with the master key held by a KMIP server. Always on.")]
    public EncryptionSpec Encryption { get; set; } = new();

    [JsonPropertyName("audit")]
    [Description("Audit logging (HIPAA 164.312(b)). Always on; the profile chooses what is recorded.")]
    [DefaultJson("{}")]
    public AuditSpec Audit { get; set; } = new();

    [JsonPropertyName("ldap")]
    [Description("Optional LDAP authentication and group-to-role authorization, over TLS only (LDAPS).")]
    public LdapSpec? Ldap { get; set; }

    [JsonPropertyName("network")]
    [Description("Who may connect. Everything else is denied by default; egress is derived from the spec (DNS, members, KMIP, LDAP).")]
    [DefaultJson("{}")]
    public NetworkSpec Network { get; set; } = new();

    [JsonPropertyName("deletionPolicy")]
    [Description("What happens to PersistentVolumeClaims and data Secrets when the HipaaMongo is deleted: Retain (default, kept) or Delete (explicit opt-in).")]
    [Default("Retain")]
    public DeletionPolicy DeletionPolicy { get; set; } = DeletionPolicy.Retain;

    [JsonPropertyName("verification")]
    [Description("How often the operator connects to every member to verify the live configuration and correct drift.")]
    [DefaultJson("{}")]
    public VerificationSpec Verification { get; set; } = new();

    [JsonPropertyName("roles")]
    [Description("Custom MongoDB roles the operator creates and keeps as declared; HipaaMongoUser objects grant them. Privileges added out of band are revoked.")]
    [MaxItems(64)]
    [ListType("map", "name", "db")]
    public List<CustomRoleSpec>? Roles { get; set; }
}
