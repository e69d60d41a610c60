using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// A cert-manager.io/v1 object (Issuer, Certificate) kept unstructured: the operator must not
/// depend on cert-manager's Go types, and a JsonObject spec keeps the field order as written.
/// </summary>
public sealed class CertManagerObject : IKubernetesObject<V1ObjectMeta>
{
    public const string CertManagerApiVersion = "cert-manager.io/v1";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CertManagerApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonObject Spec { get; set; } = [];
}
