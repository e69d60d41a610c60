using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities;

[Description("Encryption at rest. The master key is always held by an external KMIP server; a local key file does not meet HIPAA key-management guidance and is not offered.")]
public sealed class EncryptionSpec
{
    [JsonPropertyName("kmip")]
    [Required]
    [Description("The KMIP server that holds the master key (security.kmip.*).")]
    public KmipSpec Kmip { get; set; } = new();
}

[Description("KMIP key management for the WiredTiger encrypted storage engine.")]
[CelRule("!has(oldSelf.keyIdentifier) || (has(self.keyIdentifier) && self.keyIdentifier == oldSelf.keyIdentifier)",
    "keyIdentifier cannot change or be removed once set: rotate the master key instead", FieldPath = ".keyIdentifier")]
[CelRule("!has(self.masterKeyRotation) || !has(self.keyIdentifier)",
    "masterKeyRotation needs a master key mongod creates: with keyIdentifier set, a rotated member would refuse to start on the key it names (PSMDB-1129)",
    FieldPath = ".masterKeyRotation")]
public sealed class KmipSpec
{
    public const int DefaultKeyStatePollingSeconds = 900;

    [JsonPropertyName("servers")]
    [Required]
    [Description("KMIP servers as host:port, tried in order at startup for failover. All servers must use the same port (mongod takes one port).")]
    [MinItems(1)]
    [MaxItems(8)]
    [MaxLength(262)]
    [Pattern(ValidationPatterns.HostPort)]
    [ListType("set")]
    public List<string> Servers { get; set; } = [];

    [JsonPropertyName("serverCaSecretRef")]
    [Required]
    [Description("The Secret key holding the CA certificate (PEM) that signed the KMIP server certificates.")]
    public SecretKeyReference ServerCaSecretRef { get; set; } = new();

    [JsonPropertyName("clientCertificate")]
    [Required]
    [Description("The client certificate mongod presents to the KMIP server: issued by cert-manager from issuerRef, or taken from an existing kubernetes.io/tls Secret.")]
    public KmipClientCertificate ClientCertificate { get; set; } = new();

    [JsonPropertyName("keyIdentifier")]
    [Description("Optional existing KMIP key UID to use as master key; without it mongod creates one. Only honoured when encryption is first enabled, so it cannot change afterwards.")]
    [MinLength(1)]
    [MaxLength(256)]
    [Pattern(ValidationPatterns.KeyIdentifier)]
    public string? KeyIdentifier { get; set; }

    [JsonPropertyName("keyStatePollingSeconds")]
    [Description("Seconds between checks that the master key is still Active; a member whose key is deactivated shuts down (crypto-shredding). Polling cannot be disabled.")]
    [Default(DefaultKeyStatePollingSeconds)]
    [Minimum(30)]
    [Maximum(86400)]
    public int KeyStatePollingSeconds { get; set; } = DefaultKeyStatePollingSeconds;

    [JsonPropertyName("masterKeyRotation")]
    [Description("A master-key rotation request: each member is restarted once, one at a time through the health-gated rollout, with mongod's own rotation (security.kmip.rotateMasterKey), which re-wraps its data under a new KMIP key.")]
    public MasterKeyRotationSpec? MasterKeyRotation { get; set; }
}

[Description("Declarative master-key rotation: set or change requestedAt to rotate once more; the same value never rotates twice.")]
public sealed class MasterKeyRotationSpec
{
    [JsonPropertyName("requestedAt")]
    [Required]
    [Description("A token naming the request, conventionally the RFC 3339 time it was made (e.g. 2026-12-07T18:00:00Z); each new value rotates every member once more. Kept in Git, it records when the last rotation was asked for.")]
    [MinLength(1)]
    [MaxLength(64)]
    [Pattern(@"^[A-Za-z0-9][A-Za-z0-9:._+-]*$")]
    public string RequestedAt { get; set; } = "";
}

[Description("Where the KMIP client certificate comes from: exactly one of issuerRef or secretName.")]
[CelRule("has(self.issuerRef) != has(self.secretName)", "clientCertificate needs exactly one of issuerRef or secretName")]
public sealed class KmipClientCertificate
{
    [JsonPropertyName("issuerRef")]
    [Description("A cert-manager issuer trusted by the KMIP server; the operator requests and rotates the client certificate.")]
    public IssuerReference? IssuerRef { get; set; }

    [JsonPropertyName("secretName")]
    [Description("An existing kubernetes.io/tls Secret (tls.crt, tls.key) in this namespace, managed outside the operator.")]
    [MaxLength(253)]
    [Pattern(ValidationPatterns.DnsSubdomain)]
    public string? SecretName { get; set; }
}
