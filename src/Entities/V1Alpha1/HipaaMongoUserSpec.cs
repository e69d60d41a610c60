using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities;

[Description("One MongoDB user: its HipaaMongo, how it authenticates, its roles, and its reclaim policy.")]
public sealed class HipaaMongoUserSpec
{
    [JsonPropertyName("hipaaMongoRef")]
    [Required]
    [Description("The HipaaMongo in this namespace the user belongs to.")]
    [CelRule("self == oldSelf", "hipaaMongoRef is immutable: create a new HipaaMongoUser for another cluster")]
    public LocalObjectReference HipaaMongoRef { get; set; } = new();

    [JsonPropertyName("username")]
    [Description("The user name in MongoDB (default: metadata.name). For SCRAM the operator appends a version (-2, -3, ...) on each rotation; for x.509 the user is the certificate subject CN=<username>,OU=users,O=<namespace>.")]
    [MinLength(1)]
    [MaxLength(64)]
    [Pattern(UserPatterns.Username)]
    [CelRule("self == oldSelf", "username is immutable")]
    public string? Username { get; set; }

    [JsonPropertyName("authentication")]
    [Description("How the user authenticates: X509 (preferred; a cert-manager Certificate from the cluster's CA) or ScramSha256 (a generated password in a Secret this object owns).")]
    [DefaultJson("{}")]
    public UserAuthentication Authentication { get; set; } = new();

    [JsonPropertyName("roles")]
    [Required]
    [Description("The roles granted, built-in (read, readWrite, ...) or declared in the HipaaMongo's spec.roles, each in its database. root, __system, userAdminAnyDatabase, dbAdminAnyDatabase, readWriteAnyDatabase and clusterAdmin are refused without breakGlass.")]
    [MinItems(1)]
    [MaxItems(32)]
    [ListType("map", "role", "db")]
    public List<DatabaseRole> Roles { get; set; } = [];

    [JsonPropertyName("reclaimPolicy")]
    [Description("What happens to the database user when this object is deleted: Delete (default) drops it; Retain keeps it and reports it as undeclared.")]
    [Default("Delete")]
    public UserReclaimPolicy ReclaimPolicy { get; set; } = UserReclaimPolicy.Delete;

    [JsonPropertyName("breakGlass")]
    [Description("Emergency access (HIPAA 164.312(a)(2)(ii)): allows privileged roles until expiry, when the operator revokes them. Every grant is an Event and an evidence entry.")]
    public BreakGlassSpec? BreakGlass { get; set; }
}

[Description("A reference to an object by name in the same namespace.")]
public sealed class LocalObjectReference
{
    [JsonPropertyName("name")]
    [Required]
    [Description("The object's name.")]
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(ValidationPatterns.DnsSubdomain)]
    public string Name { get; set; } = "";
}

[Description("How the user authenticates.")]
[CelRule("self.type == 'ScramSha256' || !has(self.passwordSecretRef)", "passwordSecretRef is only for ScramSha256", FieldPath = ".passwordSecretRef")]
[CelRule("self.type == 'ScramSha256' || !has(self.rotation)", "rotation is only for ScramSha256 (cert-manager renews x.509 certificates)", FieldPath = ".rotation")]
public sealed class UserAuthentication
{
    [JsonPropertyName("type")]
    [Description("X509 (default and preferred) or ScramSha256.")]
    [Default("X509")]
    [CelRule("self == oldSelf", "authentication.type is immutable: create a new HipaaMongoUser")]
    public UserAuthenticationType Type { get; set; } = UserAuthenticationType.X509;

    [JsonPropertyName("passwordSecretRef")]
    [Description("Externally managed password: the operator reads it from this Secret key and never writes it. Without it the operator generates the password (at least 32 characters from a CSPRNG) and rotates it.")]
    public SecretKeyReference? PasswordSecretRef { get; set; }

    [JsonPropertyName("rotation")]
    [Description("Password rotation by replacement: a new user version is created and the old one dropped after gracePeriod. Generated passwords only.")]
    public RotationSpec? Rotation { get; set; }
}

[Description("When a generated password is replaced.")]
public sealed class RotationSpec
{
    [JsonPropertyName("period")]
    [Description("How long a password lives (Go duration, e.g. 2160h for 90 days). Default 2160h.")]
    [Default("2160h")]
    [Pattern(ValidationPatterns.GoDuration)]
    [MaxLength(32)]
    public string Period { get; set; } = "2160h";

    [JsonPropertyName("renewBefore")]
    [Description("Rotate this long before the period ends (Go duration). Default 0s.")]
    [Default("0s")]
    [Pattern(ValidationPatterns.GoDuration)]
    [MaxLength(32)]
    public string RenewBefore { get; set; } = "0s";

    [JsonPropertyName("gracePeriod")]
    [Description("How long the previous user version keeps working after a rotation, so clients can pick up the new Secret (Go duration). Default 10m.")]
    [Default("10m")]
    [Pattern(ValidationPatterns.GoDuration)]
    [MaxLength(32)]
    public string GracePeriod { get; set; } = "10m";
}

[Description("Time-boxed emergency access.")]
public sealed class BreakGlassSpec
{
    [JsonPropertyName("reason")]
    [Required]
    [Description("Why emergency access is needed (recorded in the Event and the evidence ledger).")]
    [MinLength(10)]
    [MaxLength(1024)]
    public string Reason { get; set; } = "";

    [JsonPropertyName("expiry")]
    [Required]
    [Description("When the privileged roles are revoked (RFC 3339). At most 7 days after the grant.")]
    [Format("date-time")]
    public DateTime Expiry { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<UserAuthenticationType>))]
public enum UserAuthenticationType
{
    X509,
    ScramSha256,
}

[JsonConverter(typeof(JsonStringEnumConverter<UserReclaimPolicy>))]
public enum UserReclaimPolicy
{
    Delete,
    Retain,
}

/// <summary>Patterns for user names.</summary>
public static class UserPatterns
{
    /// <summary>Letters, digits, '_', '.', '-': safe in a connection string and a certificate CN without escaping.</summary>
    public const string Username = @"^[A-Za-z0-9][A-Za-z0-9_.-]*$";
}
