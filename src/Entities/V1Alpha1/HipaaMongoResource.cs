using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;
using k8s;
using k8s.Models;

namespace HipaaMongo.Entities;

/// <summary>The HipaaMongo custom resource (hipaa.mongooperator.io/v1alpha1).</summary>
[Description("HipaaMongo is a MongoDB replica set hardened for HIPAA: TLS with x.509 member authentication, KMIP encryption at rest, audit logging, LDAP over TLS, default-deny networking, continuous drift correction and compliance status.")]
[CelRule("size(self.metadata.name) <= 40", "metadata.name must be at most 40 characters: it prefixes member Pod, Service and Certificate names")]
[CelRule("self.metadata.name.matches('" + Validation.HipaaMongoValidator.NamePattern + "')", Validation.HipaaMongoValidator.NameNotLabelMessage)]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status", "Whether the replica set is ready and verified.", Order = 0)]
[PrinterColumn("Compliant", "string", ".status.compliance.compliant", "Whether every HIPAA control check passed.", Order = 1)]
[PrinterColumn("Members", "integer", ".spec.members", "Desired replica-set members.", Order = 2)]
[PrinterColumn("Version", "string", ".spec.version", "MongoDB server version.", Order = 3)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp", "Time since creation.", Order = 4)]
[PrinterColumn("Edition", "string", ".spec.edition", "Server distribution.", Priority = 1, Order = 5)]
[PrinterColumn("Ready-Members", "integer", ".status.readyMembers", "Members healthy and verified.", Priority = 1, Order = 6)]
[PrinterColumn("TLS-Expires", "string", ".status.tlsExpiresAt", "Earliest member certificate expiry (a future date, so shown as the timestamp: a date column would print <invalid>).", Priority = 1, Order = 7)]
[PrinterColumn("Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", "Reason of the Ready condition.", Priority = 1, Order = 8)]
public sealed class HipaaMongoResource : IKubernetesObject<V1ObjectMeta>, ISpec<HipaaMongoSpec>, IStatus<HipaaMongoStatus?>
{
    public const string KubeApiVersion = ApiGroup.ApiVersion;
    public const string KubeKind = ApiGroup.Kind;

    [JsonPropertyName("apiVersion")]
    [Description("APIVersion defines the versioned schema of this representation of an object: hipaa.mongooperator.io/v1alpha1.")]
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    [JsonPropertyName("kind")]
    [Description("Kind is the REST resource this object represents: HipaaMongo.")]
    public string Kind { get; set; } = ApiGroup.Kind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    [Required]
    [Description("The desired hardened replica set.")]
    public HipaaMongoSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    [Description("The observed state, written only by the operator.")]
    public HipaaMongoStatus? Status { get; set; }
}
