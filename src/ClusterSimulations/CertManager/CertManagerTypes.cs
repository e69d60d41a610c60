using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>cert-manager.io/v1 Certificate: the fields this project's operator writes and reads.</summary>
[KubernetesEntity(Group = CertManagerApi.Group, ApiVersion = CertManagerApi.Version, Kind = "Certificate", PluralName = "certificates")]
public sealed class Certificate : IKubernetesObject<V1ObjectMeta>, ISpec<CertificateSpec>, IStatus<CertificateStatus?>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = CertManagerApi.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Certificate";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public CertificateSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public CertificateStatus? Status { get; set; }
}

/// <summary>Certificate.spec (cert-manager.io/v1).</summary>
public sealed class CertificateSpec
{
    [JsonPropertyName("secretName")] public string SecretName { get; set; } = "";
    [JsonPropertyName("commonName")] public string? CommonName { get; set; }
    [JsonPropertyName("dnsNames")] public List<string>? DnsNames { get; set; }
    [JsonPropertyName("uris")] public List<string>? Uris { get; set; }
    [JsonPropertyName("ipAddresses")] public List<string>? IpAddresses { get; set; }
    [JsonPropertyName("emailAddresses")] public List<string>? EmailAddresses { get; set; }
    [JsonPropertyName("subject")] public X509Subject? Subject { get; set; }
    /// <summary>Key usages, e.g. "digital signature", "key encipherment", "server auth", "client auth", "cert sign".</summary>
    [JsonPropertyName("usages")] public List<string>? Usages { get; set; }
    /// <summary>Go duration, e.g. "2160h"; default 90 days.</summary>
    [JsonPropertyName("duration")] public string? Duration { get; set; }
    /// <summary>Go duration; default a third of the lifetime.</summary>
    [JsonPropertyName("renewBefore")] public string? RenewBefore { get; set; }
    [JsonPropertyName("isCA")] public bool? IsCA { get; set; }
    [JsonPropertyName("privateKey")] public CertificatePrivateKey? PrivateKey { get; set; }
    [JsonPropertyName("issuerRef")] public IssuerReference IssuerRef { get; set; } = new();
    [JsonPropertyName("secretTemplate")] public SecretTemplate? SecretTemplate { get; set; }
    [JsonPropertyName("additionalOutputFormats")] public List<CertificateAdditionalOutputFormat>? AdditionalOutputFormats { get; set; }
}

/// <summary>Certificate.spec.subject: the X.509 distinguished-name parts besides CN.</summary>
public sealed class X509Subject
{
    [JsonPropertyName("organizations")] public List<string>? Organizations { get; set; }
    [JsonPropertyName("organizationalUnits")] public List<string>? OrganizationalUnits { get; set; }
    [JsonPropertyName("countries")] public List<string>? Countries { get; set; }
    [JsonPropertyName("provinces")] public List<string>? Provinces { get; set; }
    [JsonPropertyName("localities")] public List<string>? Localities { get; set; }
    [JsonPropertyName("streetAddresses")] public List<string>? StreetAddresses { get; set; }
    [JsonPropertyName("postalCodes")] public List<string>? PostalCodes { get; set; }
    [JsonPropertyName("serialNumber")] public string? SerialNumber { get; set; }
}

/// <summary>Certificate.spec.privateKey.</summary>
public sealed class CertificatePrivateKey
{
    /// <summary>RSA (default), ECDSA or Ed25519.</summary>
    [JsonPropertyName("algorithm")] public string? Algorithm { get; set; }
    /// <summary>RSA 2048 (default)/3072/4096/8192; ECDSA 256 (default)/384/521.</summary>
    [JsonPropertyName("size")] public int? Size { get; set; }
    /// <summary>PKCS1 (default) or PKCS8.</summary>
    [JsonPropertyName("encoding")] public string? Encoding { get; set; }
    /// <summary>Always (default since cert-manager v1.18) or Never.</summary>
    [JsonPropertyName("rotationPolicy")] public string? RotationPolicy { get; set; }
}

/// <summary>A reference to an Issuer or ClusterIssuer ({name, kind, group}).</summary>
public sealed class IssuerReference
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    /// <summary>Issuer (default) or ClusterIssuer.</summary>
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    /// <summary>cert-manager.io (default) or an external issuer's group.</summary>
    [JsonPropertyName("group")] public string? Group { get; set; }
}

/// <summary>Certificate.spec.secretTemplate: labels and annotations copied onto the Secret.</summary>
public sealed class SecretTemplate
{
    [JsonPropertyName("labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>One entry of additionalOutputFormats: {type: CombinedPEM} or {type: DER}.</summary>
public sealed class CertificateAdditionalOutputFormat
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
}

/// <summary>Certificate.status.</summary>
public sealed class CertificateStatus
{
    [JsonPropertyName("conditions")] public List<V1Condition>? Conditions { get; set; }
    [JsonPropertyName("notBefore")] public DateTime? NotBefore { get; set; }
    [JsonPropertyName("notAfter")] public DateTime? NotAfter { get; set; }
    [JsonPropertyName("renewalTime")] public DateTime? RenewalTime { get; set; }
    [JsonPropertyName("revision")] public int? Revision { get; set; }
    [JsonPropertyName("lastFailureTime")] public DateTime? LastFailureTime { get; set; }
}

/// <summary>What Issuer and ClusterIssuer share: the same spec and status.</summary>
public abstract class IssuerBase : IKubernetesObject<V1ObjectMeta>, ISpec<IssuerSpec>, IStatus<IssuerStatus?>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = CertManagerApi.ApiVersion;
    [JsonPropertyName("kind")] public abstract string Kind { get; set; }
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public IssuerSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public IssuerStatus? Status { get; set; }
}

/// <summary>cert-manager.io/v1 Issuer (namespaced; its CA secret is in its own namespace).</summary>
[KubernetesEntity(Group = CertManagerApi.Group, ApiVersion = CertManagerApi.Version, Kind = "Issuer", PluralName = "issuers")]
public sealed class Issuer : IssuerBase
{
    [JsonPropertyName("kind")] public override string Kind { get; set; } = "Issuer";
}

/// <summary>cert-manager.io/v1 ClusterIssuer (cluster-scoped; its CA secret lives in the cluster resource namespace).</summary>
[KubernetesEntity(Group = CertManagerApi.Group, ApiVersion = CertManagerApi.Version, Kind = "ClusterIssuer", PluralName = "clusterissuers")]
public sealed class ClusterIssuer : IssuerBase
{
    [JsonPropertyName("kind")] public override string Kind { get; set; } = "ClusterIssuer";
}

/// <summary>Issuer/ClusterIssuer spec: exactly one of selfSigned or ca is simulated.</summary>
public sealed class IssuerSpec
{
    [JsonPropertyName("selfSigned")] public SelfSignedIssuer? SelfSigned { get; set; }
    [JsonPropertyName("ca")] public CAIssuer? CA { get; set; }
}

/// <summary>spec.selfSigned: {} (each certificate signs itself).</summary>
public sealed class SelfSignedIssuer
{
    [JsonPropertyName("crlDistributionPoints")] public List<string>? CrlDistributionPoints { get; set; }
}

/// <summary>spec.ca: signs with the CA certificate and key in secretName (tls.crt, tls.key).</summary>
public sealed class CAIssuer
{
    [JsonPropertyName("secretName")] public string SecretName { get; set; } = "";
}

/// <summary>Issuer status: a Ready condition.</summary>
public sealed class IssuerStatus
{
    [JsonPropertyName("conditions")] public List<V1Condition>? Conditions { get; set; }
}

/// <summary>Group, version and well-known names of the cert-manager API.</summary>
public static class CertManagerApi
{
    public const string Group = "cert-manager.io";
    public const string Version = "v1";
    public const string ApiVersion = Group + "/" + Version;

    public const string CertificateNameAnnotation = "cert-manager.io/certificate-name";
    public const string IssuerNameAnnotation = "cert-manager.io/issuer-name";
    public const string IssuerKindAnnotation = "cert-manager.io/issuer-kind";
    public const string IssuerGroupAnnotation = "cert-manager.io/issuer-group";
    public const string CommonNameAnnotation = "cert-manager.io/common-name";
    public const string AltNamesAnnotation = "cert-manager.io/alt-names";
    public const string IpSansAnnotation = "cert-manager.io/ip-sans";
    public const string UriSansAnnotation = "cert-manager.io/uri-sans";
    public const string SubjectOrganizationsAnnotation = "cert-manager.io/subject-organizations";
    public const string SubjectOrganizationalUnitsAnnotation = "cert-manager.io/subject-organizationalunits";
    /// <summary>Label cert-manager puts on Secrets it manages ("for attention of").</summary>
    public const string ManagedLabel = "controller.cert-manager.io/fao";

    public const string TlsCrt = "tls.crt";
    public const string TlsKey = "tls.key";
    public const string CaCrt = "ca.crt";
    public const string CombinedPem = "tls-combined.pem";
    public const string KeyDer = "key.der";
}
