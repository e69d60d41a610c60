using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.Kmip.Tests;

/// <summary>
/// A throw-away CA (ECDSA P-256: fast to make, and it steers PyKMIP to an ECDHE-ECDSA-AES-GCM suite) with a server certificate for 127.0.0.1 and a client certificate (extendedKeyUsage
/// clientAuth, which PyKMIP requires of a client: kmip/services/server/session.py), written as PEM files
/// (ca.crt, server.crt, server.key, client.crt, client.key) into a temp directory deleted on dispose.
/// </summary>
public sealed class TestPki : IDisposable
{
    private TestPki(string directory, X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Directory = directory;
        Ca = ca;
        Server = server;
        Client = client;
    }

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string ClientCertificateFile => Path.Combine(Directory, "client.crt");

    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>The KMIP server name the minimal sample writes (kmip.security.svc.cluster.local); the server certificate names it.</summary>
    public const string ClusterServerName = "kmip.security.svc.cluster.local";

    /// <summary>The LDAP server name the operator's end-to-end tests give the simulated cluster (slapd serves this PKI too).</summary>
    public const string LdapClusterServerName = "ldap.directory.svc.cluster.local";

    public static TestPki Create(string caName = "kmip-test-ca")
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("kmip-pki-").FullName;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ca = SelfSignedCa(caName, caKey);
        var server = Issue(ca, "127.0.0.1", serverAuth: true);
        var client = Issue(ca, "hipaa-mongo-kmip-client", serverAuth: false);
        var pki = new TestPki(directory, ca, server, client);
        File.WriteAllText(pki.CaFile, ca.ExportCertificatePem());
        Write(directory, "server", server);
        Write(directory, "client", client);
        return pki;
    }

    /// <summary>The client certificate with its key, as the KMIP client presents it.</summary>
    public X509Certificate2 ClientWithKey() => X509Certificate2.CreateFromPemFile(ClientCertificateFile, ClientKeyFile);

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static X509Certificate2 SelfSignedCa(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string commonName, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            san.AddDnsName(ClusterServerName); // as simulated members and the operator's probe reach it by the sample's name
            san.AddDnsName(LdapClusterServerName);
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, ca.NotBefore, ca.NotAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static void Write(string directory, string name, X509Certificate2 certificate)
    {
        File.WriteAllText(Path.Combine(directory, $"{name}.crt"), certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(Path.Combine(directory, $"{name}.key"), key.ExportPkcs8PrivateKeyPem());
    }
}
