using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Apply;

/// <summary>
/// A live cert-manager.io/v1 object as an informer caches it: typed metadata, everything else (spec, status)
/// kept as JSON exactly as the server sent it, so the drift detector and the certificate findings read the
/// same document a GET would return. The rendered (desired) form stays <c>Baseline.CertManagerObject</c>.
/// </summary>
public abstract class CertManagerLive : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = CertManagerKinds.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>
    /// Every other top-level field (spec, status ...), untouched. A dictionary, not a JsonObject: with KubernetesJson's
    /// options a JsonObject extension is written back as an unnamed nested object (invalid JSON).
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Fields { get; set; }
}

/// <summary>A live cert-manager Certificate (its own CLR type: the runtime keys one informer per type).</summary>
[KubernetesEntity(Group = CertManagerKinds.Group, ApiVersion = CertManagerKinds.Version, Kind = "Certificate", PluralName = "certificates")]
public sealed class LiveCertificate : CertManagerLive
{
}

/// <summary>A live cert-manager Issuer.</summary>
[KubernetesEntity(Group = CertManagerKinds.Group, ApiVersion = CertManagerKinds.Version, Kind = "Issuer", PluralName = "issuers")]
public sealed class LiveIssuer : CertManagerLive
{
}

/// <summary>The cert-manager API the operator watches, and what to tell a user whose cluster lacks it.</summary>
public static class CertManagerKinds
{
    public const string Group = "cert-manager.io";
    public const string Version = "v1";
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>Logged while cert-manager.io/v1 is not served; the operator waits (not ready) until it is.</summary>
    public const string NotServedHint =
        "HipaaMongo needs cert-manager (" + ApiVersion + " Certificates and Issuers) for its TLS and x.509 member certificates: "
        + "install cert-manager v1.x (https://cert-manager.io/docs/installation/, e.g. its cert-manager.yaml release manifest, "
        + "which includes the CRDs) in this cluster; the operator starts reconciling once the CRDs are served";
}
