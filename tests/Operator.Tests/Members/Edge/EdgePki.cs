using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.Operator.Tests.Members.Edge;

/// <summary>
/// A cluster CA with member, operator and verifier certificates, written as cert-manager's PEM files. Copied in
/// spirit from tests/MongodSimulator.Tests/TestPki.cs (no shared test-PKI project exists), reduced to what these
/// tests need: members share O/OU (cluster membership), the operator and verifier each have their own OU.
/// </summary>
internal sealed class EdgePki : IDisposable
{
    public EdgePki()
    {
        Directory.CreateDirectory(Dir);
        Ca = SelfSignedCa("CN=HipaaMongo Test CA,O=HipaaMongo");
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
        Operator = Issue(Ca, Dn("operator", "hipaa-mongo-operator"), [ClientAuth], [], DateTimeOffset.UtcNow.AddDays(30));
        Verifier = Issue(Ca, Dn("verifier", "hipaa-mongo-verifier"), [ClientAuth], [], DateTimeOffset.UtcNow.AddDays(30));
        OtherCa = SelfSignedCa("CN=Someone Else CA,O=Elsewhere");
    }

    public const string Organization = "HipaaMongo";

    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "members-edge-" + Guid.NewGuid().ToString("N"));

    public string CaFile => Path.Combine(Dir, "ca.crt");

    public X509Certificate2 Ca { get; }

    public X509Certificate2 OtherCa { get; }

    public X509Certificate2 Operator { get; }

    public X509Certificate2 Verifier { get; }

    /// <summary>A client certificate for the given OU and CN issued by <paramref name="issuer"/> (another CA, to be refused).</summary>
    public static X509Certificate2 IssueClient(string ou, string cn, X509Certificate2 issuer) =>
        Issue(issuer, Dn(ou, cn), [ClientAuth], [], DateTimeOffset.UtcNow.AddDays(30));

    public string MemberPemFile(int ordinal) => Path.Combine(Dir, $"member-{ordinal}.pem");

    /// <summary>Writes a member's tls-combined.pem (key then certificate) for its DNS name; returns the certificate with its key.</summary>
    public X509Certificate2 WriteMemberPem(int ordinal, string dnsName, DateTimeOffset notAfter, X509Certificate2? issuer = null)
    {
        var cert = Issue(issuer ?? Ca, Dn("members", dnsName.Split('.')[0]), [ServerAuth, ClientAuth], [dnsName], notAfter);
        using var key = cert.GetECDsaPrivateKey()!;
        File.WriteAllText(MemberPemFile(ordinal), key.ExportPkcs8PrivateKeyPem() + "\n" + cert.ExportCertificatePem() + "\n");
        return cert;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // The builder emits RDNs in reverse order of addition, so this encodes O, OU, CN and prints CN=..,OU=..,O=...
    private static X500DistinguishedName Dn(string ou, string cn)
    {
        var b = new X500DistinguishedNameBuilder();
        b.AddCommonName(cn);
        b.AddOrganizationalUnitName(ou);
        b.AddOrganizationName(Organization);
        return b.Build();
    }

    private static X509Certificate2 SelfSignedCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12, "x"), "x", X509KeyStorageFlags.Exportable);
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, X500DistinguishedName subject, Oid[] usages, string[] dnsNames, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        if (dnsNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var n in dnsNames)
            {
                san.AddDnsName(n);
            }

            req.CertificateExtensions.Add(san.Build());
        }

        var second = new DateTimeOffset(notAfter.Year, notAfter.Month, notAfter.Day, notAfter.Hour, notAfter.Minute, notAfter.Second, TimeSpan.Zero);
        using var cert = req.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), second, RandomNumberGenerator.GetBytes(8));
        using var withKey = cert.CopyWithPrivateKey(key);
        // PKCS#12 round trip so SslStream can use the key on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12, "x"), "x", X509KeyStorageFlags.Exportable);
    }
}
