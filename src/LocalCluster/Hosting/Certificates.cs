using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>A throwaway CA and a serving certificate for 127.0.0.1/localhost, made fresh per start.</summary>
public sealed class Certificates : IDisposable
{
    Certificates(X509Certificate2 ca, X509Certificate2 serving)
    {
        Ca = ca;
        Serving = serving;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The serving certificate with its private key.</summary>
    public X509Certificate2 Serving { get; }

    public string CaPem => Ca.ExportCertificatePem();

    public static Certificates Create()
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=local-cluster-ca", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caReq.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caReq.PublicKey, false));
        using var caCert = caReq.CreateSelfSigned(now, now.AddYears(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=local-cluster", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caCert, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = req.Create(caCert, now, now.AddYears(1), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so the key is usable by Kestrel's TLS stack on every platform.
        var serving = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
        var ca = X509CertificateLoader.LoadCertificate(caCert.Export(X509ContentType.Cert));
        return new Certificates(ca, serving);
    }

    public void Dispose()
    {
        Ca.Dispose();
        Serving.Dispose();
    }
}
