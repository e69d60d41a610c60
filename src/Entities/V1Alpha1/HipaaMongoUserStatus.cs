using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;
using k8s.Models;

namespace HipaaMongo.Entities;

[Description("The observed state of a HipaaMongoUser, written only by the operator. Never holds a password.")]
public sealed class HipaaMongoUserStatus
{
    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation the operator last acted on.")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    [Description("Ready, Reconciling and Stalled (refused by policy, with the reason).")]
    [ListType("map", "type")]
    [MaxItems(8)]
    public List<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("username")]
    [Description("The user name in MongoDB now (for SCRAM it carries the version).")]
    public string? Username { get; set; }

    [JsonPropertyName("database")]
    [Description("The user's authentication database: $external for x.509, admin for SCRAM.")]
    public string? Database { get; set; }

    [JsonPropertyName("version")]
    [Description("The credential version: 1 at creation, one more on each rotation.")]
    public int? Version { get; set; }

    [JsonPropertyName("rolesInEffect")]
    [Description("The roles the user holds in the database, role@db.")]
    [MaxItems(64)]
    public List<string>? RolesInEffect { get; set; }

    [JsonPropertyName("rolesSummary")]
    [Description("rolesInEffect joined with ', ' (for kubectl get).")]
    public string? RolesSummary { get; set; }

    [JsonPropertyName("lastRotation")]
    [Description("When the credential was last created or replaced.")]
    [Format("date-time")]
    public DateTime? LastRotation { get; set; }

    [JsonPropertyName("rotateRequest")]
    [Description("The last rotate annotation value acted on.")]
    public string? RotateRequest { get; set; }

    [JsonPropertyName("externalSecretVersion")]
    [Description("The resourceVersion of the externally managed credential Secret last applied (never its content): a new one is applied with updateUser.")]
    public string? ExternalSecretVersion { get; set; }

    [JsonPropertyName("retiring")]
    [Description("Previous user versions still working until their grace period ends.")]
    [MaxItems(8)]
    public List<RetiringUser>? Retiring { get; set; }

    [JsonPropertyName("secretName")]
    [Description("The Secret with the connection string (and the password or the certificate).")]
    public string? SecretName { get; set; }

    [JsonPropertyName("phiAccess")]
    [Description("The access review: what this user can remove, drop or update in the HipaaMongo's PHI databases (spec.audit.phiNamespaces), and through which role.")]
    [MaxItems(64)]
    public List<string>? PhiAccess { get; set; }

    [JsonPropertyName("breakGlassGrantedAt")]
    [Description("When break-glass roles were granted; cleared when they are revoked.")]
    [Format("date-time")]
    public DateTime? BreakGlassGrantedAt { get; set; }
}

[Description("A previous user version, dropped when its grace period ends.")]
public sealed class RetiringUser
{
    [JsonPropertyName("username")]
    [Required]
    [Description("The previous user name.")]
    public string Username { get; set; } = "";

    [JsonPropertyName("dropAfter")]
    [Required]
    [Description("When it is dropped.")]
    [Format("date-time")]
    public DateTime DropAfter { get; set; }
}
