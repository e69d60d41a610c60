using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;
using k8s;
using k8s.Models;

namespace HipaaMongo.Entities;

/// <summary>The HipaaMongoUser custom resource (hipaa.mongooperator.io/v1alpha1, short name hmu): one database user.</summary>
[Description("HipaaMongoUser is one MongoDB user of a HipaaMongo in the same namespace: x.509 (preferred) or SCRAM-SHA-256 with a generated, rotated password, its roles per database, and what happens to the user when this object is deleted. Privileged roles are refused unless breakGlass gives a reason and an expiry.")]
[CelRule("size(self.metadata.name) <= 63", "metadata.name must be at most 63 characters: it names the user's Secret and Certificate")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Whether the user exists in the database as declared.", Order = 0)]
[PrinterColumn("Cluster", "string", ".spec.hipaaMongoRef.name", "The HipaaMongo the user belongs to.", Order = 1)]
[PrinterColumn("Roles", "string", ".status.rolesSummary", "The roles in effect, role@db.", Order = 2)]
[PrinterColumn("Last-Rotation", "string", ".status.lastRotation", "When the credential was last replaced (a timestamp).", Order = 3)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp", "Time since creation.", Order = 4)]
[PrinterColumn("Auth", "string", ".spec.authentication.type", "X509 or ScramSha256.", Priority = 1, Order = 5)]
[PrinterColumn("User", "string", ".status.username", "The user name in MongoDB now (it changes on each password rotation).", Priority = 1, Order = 6)]
[PrinterColumn("Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", "Reason of the Ready condition.", Priority = 1, Order = 7)]
public sealed class HipaaMongoUserResource : IKubernetesObject<V1ObjectMeta>, ISpec<HipaaMongoUserSpec>, IStatus<HipaaMongoUserStatus?>
{
    public const string KubeApiVersion = ApiGroup.ApiVersion;
    public const string KubeKind = UserApiGroup.Kind;

    [JsonPropertyName("apiVersion")]
    [Description("APIVersion defines the versioned schema of this representation of an object: hipaa.mongooperator.io/v1alpha1.")]
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    [JsonPropertyName("kind")]
    [Description("Kind is the REST resource this object represents: HipaaMongoUser.")]
    public string Kind { get; set; } = UserApiGroup.Kind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    [Required]
    [Description("The declared user.")]
    public HipaaMongoUserSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    [Description("The observed state, written only by the operator. Never holds a password.")]
    public HipaaMongoUserStatus? Status { get; set; }
}

/// <summary>The names of the HipaaMongoUser kind.</summary>
public static class UserApiGroup
{
    public const string Kind = "HipaaMongoUser";
    public const string Plural = "hipaamongousers";
    public const string Singular = "hipaamongouser";
    public const string ShortName = "hmu";

    /// <summary>Set on a HipaaMongoUser to replace its password now (any new value asks once).</summary>
    public const string RotateAnnotation = "hipaa.mongooperator.io/rotate";
}

/// <summary>The list kind (HipaaMongoUserList).</summary>
public sealed class HipaaMongoUserList : IKubernetesObject<V1ListMeta>, IItems<HipaaMongoUserResource>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = UserApiGroup.Kind + "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<HipaaMongoUserResource> Items { get; set; } = [];
}
