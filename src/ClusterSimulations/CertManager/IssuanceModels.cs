namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>
/// What signs a Certificate: a self-signed issuer (no CA material), or a CA issuer with the PEM of its
/// certificate chain (CA first, then its issuers) and private key from the issuer's secret.
/// </summary>
public sealed record IssuerCredentials(string Name, string Kind, string Group, string? CaChainPem = null, string? CaKeyPem = null)
{
    /// <summary>True for a selfSigned issuer.</summary>
    public bool IsSelfSigned => CaKeyPem is null;

    /// <summary>A selfSigned Issuer named <paramref name="name"/>.</summary>
    public static IssuerCredentials SelfSigned(string name, string kind = "Issuer") => new(name, kind, CertManagerApi.Group);
}

/// <summary>One issuance: the Certificate, its issuer, the Secret's current data (for key reuse) and "now".</summary>
public sealed record IssuanceRequest(
    string CertificateName,
    CertificateSpec Spec,
    IssuerCredentials Issuer,
    IReadOnlyDictionary<string, byte[]>? ExistingSecretData,
    DateTimeOffset Now);

/// <summary>The result: the Secret's data, annotations and labels, and the times status reports.</summary>
public sealed record IssuedCertificate(
    Dictionary<string, byte[]> Data,
    Dictionary<string, string> Annotations,
    Dictionary<string, string> Labels,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    DateTimeOffset RenewalTime,
    string SerialNumber);
