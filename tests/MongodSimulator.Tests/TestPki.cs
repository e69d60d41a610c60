using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>An in-process PKI: a CA, a server/member certificate, client certificates, written as PEM files like cert-manager's.</summary>
public sealed class TestPki : IDisposable
{
    public const string ServerSubject = "CN=localhost,OU=members,O=HipaaMongo";
    public const string OperatorSubject = "CN=operator,OU=operators,O=HipaaMongo";

    public TestPki()
    {
        Directory.CreateDirectory(Dir);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=Test CA,O=HipaaMongo", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
        WriteServerPem(DateTimeOffset.UtcNow.AddDays(30));
        Operator = Issue(Ca, Dn("operators", "operator"), clientAuth: true);
        Member = Issue(Ca, Dn("members", "member-client"), clientAuth: true);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherReq = new CertificateRequest("CN=Other CA", otherKey, HashAlgorithmName.SHA256);
        otherReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var other = otherReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Stranger = Issue(other, Dn("operators", "stranger"), clientAuth: true);
    }

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "mongodsim-" + Guid.NewGuid().ToString("N"));

    public string CaFile => Path.Combine(Dir, "ca.crt");

    public string ServerPemFile => Path.Combine(Dir, "tls-combined.pem");

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Operator { get; }

    public X509Certificate2 Member { get; }

    public X509Certificate2 Stranger { get; }

    /// <summary>The NotAfter of the server certificate currently on disk (second precision, UTC).</summary>
    public DateTime ServerNotAfter { get; private set; }

    /// <summary>Writes a fresh server certificate to the same path (what cert-manager does on renewal).</summary>
    public void WriteServerPem(DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(Dn("members", "localhost"), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var notAfterSecond = new DateTimeOffset(notAfter.Year, notAfter.Month, notAfter.Day, notAfter.Hour, notAfter.Minute, notAfter.Second, TimeSpan.Zero);
        using var cert = req.Create(Ca, DateTimeOffset.UtcNow.AddDays(-1), notAfterSecond, RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(ServerPemFile, key.ExportPkcs8PrivateKeyPem() + "\n" + cert.ExportCertificatePem() + "\n");
        ServerNotAfter = notAfterSecond.UtcDateTime;
    }

    /// <summary>
    /// Conventional encoding (O, then OU, then CN), so RFC 2253 prints CN=..,OU=..,O=HipaaMongo; the builder emits RDNs in
    /// the reverse of the order they are added, which the openssl cross-check in TlsTests confirms.
    /// </summary>
    private static X500DistinguishedName Dn(string ou, string cn)
    {
        var b = new X500DistinguishedNameBuilder();
        b.AddCommonName(cn);
        b.AddOrganizationalUnitName(ou);
        b.AddOrganizationName("HipaaMongo");
        return b.Build();
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

    private static X509Certificate2 Issue(X509Certificate2 issuer, X500DistinguishedName subject, bool clientAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (clientAuth)
        {
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        }

        using var cert = req.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(8));
        // Round-trip through PKCS#12 so SslStream can use the key on every platform.
        using var withKey = cert.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12, "x"), "x", X509KeyStorageFlags.Exportable);
    }
}
