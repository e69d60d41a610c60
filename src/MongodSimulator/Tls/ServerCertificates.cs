using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.MongodSimulator.Config;

namespace HipaaMongo.MongodSimulator.Tls;

/// <summary>The certificate material actually loaded: server cert+key and the CA bundle; reloaded by rotateCertificates.</summary>
public sealed class ServerCertificates
{
    public ServerCertificates(X509Certificate2 server, X509Certificate2Collection ca)
    {
        Server = server;
        CA = ca;
    }

    public X509Certificate2 Server { get; }

    public X509Certificate2Collection CA { get; }

    public string SubjectName => DistinguishedName.Rfc2253(Server.SubjectName);

    /// <summary>Loads from the configured paths; refuses expired or not-yet-valid certificates as mongod does.</summary>
    public static ServerCertificates Load(string certificateKeyFile, string? caFile, TimeProvider clock)
    {
        X509Certificate2 server;
        var ca = new X509Certificate2Collection();
        try
        {
            server = X509Certificate2.CreateFromPemFile(certificateKeyFile);
            if (caFile is not null)
            {
                ca.ImportFromPemFile(caFile);
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new MongodConfigException($"Cannot read certificate file: {certificateKeyFile} {e.GetType().Name}", 1);
        }

        if (!server.HasPrivateKey)
        {
            throw new MongodConfigException($"Cannot read PEM key file: {certificateKeyFile} no private key", 1);
        }

        var now = clock.GetUtcNow();
        if (now < server.NotBefore.ToUniversalTime() || now > server.NotAfter.ToUniversalTime())
        {
            throw new MongodConfigException("The provided SSL certificate is expired or not yet valid.", 1);
        }

        if (caFile is not null && ca.Count == 0)
        {
            throw new MongodConfigException($"Cannot read CA file: {caFile}", 1);
        }

        return new ServerCertificates(server, ca);
    }
}
