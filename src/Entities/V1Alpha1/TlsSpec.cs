using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities;

[Description("Certificates for TLS (requireTLS, TLS 1.2+) and x.509 member authentication, issued and rotated by cert-manager.")]
[CelRule("!has(self.duration) || !has(self.renewBefore) || duration(self.renewBefore) < duration(self.duration)",
    "renewBefore must be shorter than duration", FieldPath = ".renewBefore")]
public sealed class TlsSpec
{
    public const string DefaultDuration = "2160h";
    public const string DefaultRenewBefore = "720h";
    public const string MinDuration = "24h";
    public const string MaxDuration = "8760h";
    public const string MinRenewBefore = "1h";

    [JsonPropertyName("issuerRef")]
    [Description("The cert-manager Issuer or ClusterIssuer that signs the member, operator and client certificates. When absent the operator creates a namespaced CA chain (self-signed root, CA Issuer) for this HipaaMongo.")]
    public IssuerReference? IssuerRef { get; set; }

    [JsonPropertyName("duration")]
    [Description("Lifetime of issued certificates as a Go duration, between 24h and 8760h (one year). Default 2160h (90 days).")]
    [Default(DefaultDuration)]
    [Pattern(ValidationPatterns.GoDuration)]
    [MaxLength(32)]
    [CelRule("duration(self) >= duration('24h') && duration(self) <= duration('8760h')", "duration must be between 24h and 8760h")]
    public string Duration { get; set; } = DefaultDuration;

    [JsonPropertyName("renewBefore")]
    [Description("How long before expiry cert-manager renews, as a Go duration of at least 1h and shorter than duration. Default 720h (30 days, matching mongod's 30-day expiry warning).")]
    [Default(DefaultRenewBefore)]
    [Pattern(ValidationPatterns.GoDuration)]
    [MaxLength(32)]
    [CelRule("duration(self) >= duration('1h')", "renewBefore must be at least 1h")]
    public string RenewBefore { get; set; } = DefaultRenewBefore;
}

[Description("A reference to a cert-manager issuer.")]
public sealed class IssuerReference
{
    [JsonPropertyName("name")]
    [Required]
    [Description("Name of the Issuer (in this namespace) or ClusterIssuer.")]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(ValidationPatterns.DnsSubdomain)]
    public string Name { get; set; } = "";

    [JsonPropertyName("kind")]
    [Description("Issuer (namespaced, default) or ClusterIssuer.")]
    [Default("Issuer")]
    public IssuerKind Kind { get; set; } = IssuerKind.Issuer;

    [JsonPropertyName("group")]
    [Description("API group of the issuer; cert-manager.io unless an external issuer is used.")]
    [Default("cert-manager.io")]
    [MaxLength(253)]
    [Pattern(ValidationPatterns.DnsSubdomain)]
    public string Group { get; set; } = "cert-manager.io";
}

[Description("A key in a Secret of this namespace.")]
public sealed class SecretKeyReference
{
    [JsonPropertyName("name")]
    [Required]
    [Description("Name of the Secret, in the HipaaMongo's namespace.")]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(ValidationPatterns.DnsSubdomain)]
    public string Name { get; set; } = "";

    [JsonPropertyName("key")]
    [Required]
    [Description("The key within the Secret's data (e.g. ca.crt or password).")]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(ValidationPatterns.SecretKey)]
    public string Key { get; set; } = "";
}
