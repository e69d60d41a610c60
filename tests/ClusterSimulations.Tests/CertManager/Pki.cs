using System.Text;
using HipaaMongo.ClusterSimulations.CertManager;

namespace HipaaMongo.ClusterSimulations.Tests.CertManager;

/// <summary>Builds the selfSigned -> CA certificate -> CA issuer chain the operator's docs describe.</summary>
internal static class Pki
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    public static CertificateSpec CaSpec() => new()
    {
        SecretName = "root-ca",
        CommonName = "phi-internal-ca",
        IsCA = true,
        Subject = new X509Subject { Organizations = ["ExampleHealth"] },
        PrivateKey = new CertificatePrivateKey { Algorithm = "ECDSA", Size = 256 },
        Duration = "8760h",
        IssuerRef = new IssuerReference { Name = "bootstrap", Kind = "Issuer" },
    };

    public static IssuedCertificate IssueCa() => CertificateIssuance.Issue(
        new IssuanceRequest("root-ca", CaSpec(), IssuerCredentials.SelfSigned("bootstrap"), null, Now));

    public static IssuerCredentials CaIssuer(IssuedCertificate ca) =>
        new("phi-internal-ca", "Issuer", CertManagerApi.Group, Text(ca, CertManagerApi.TlsCrt), Text(ca, CertManagerApi.TlsKey));

    public static CertificateSpec MemberSpec() => new()
    {
        SecretName = "rs0-member-tls",
        CommonName = "rs0",
        Subject = new X509Subject { Organizations = ["ExampleHealth"], OrganizationalUnits = ["mongodb-rs0-member"] },
        DnsNames = ["*.rs0-hs.phi-db.svc.cluster.local", "rs0-hs.phi-db.svc.cluster.local"],
        Uris = ["spiffe://cluster.local/ns/phi-db/sa/rs0"],
        IpAddresses = ["127.0.0.1"],
        Usages = ["digital signature", "key encipherment", "server auth", "client auth"],
        PrivateKey = new CertificatePrivateKey { Algorithm = "ECDSA", Size = 384, Encoding = "PKCS8", RotationPolicy = "Always" },
        Duration = "2160h",
        RenewBefore = "720h",
        IssuerRef = new IssuerReference { Name = "phi-internal-ca", Kind = "Issuer", Group = "cert-manager.io" },
        AdditionalOutputFormats = [new CertificateAdditionalOutputFormat { Type = "CombinedPEM" }],
    };

    public static string Text(IssuedCertificate issued, string key) => Encoding.ASCII.GetString(issued.Data[key]);

    public static Certificate Wrap(CertificateSpec spec, string name = "rs0-member") =>
        new() { Metadata = new() { Name = name, NamespaceProperty = "phi-db", Generation = 1 }, Spec = spec };
}
