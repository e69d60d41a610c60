using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.Kmip.Transport;

/// <summary>
/// Where the KMIP server is and how to authenticate both ways: the client certificate with its private key,
/// and the CA certificates the server's certificate must chain to (and only those: the system store is never
/// consulted, as for mongod's security.kmip.serverCAFile).
/// </summary>
public sealed record KmipTlsOptions
{
    public required string Host { get; init; }

    /// <summary>5696 is the IANA port for KMIP.</summary>
    public int Port { get; init; } = 5696;

    public required X509Certificate2 ClientCertificate { get; init; }

    public required X509Certificate2Collection TrustedCas { get; init; }

    /// <summary>
    /// Where to open the TCP connection when it differs from <see cref="Host"/>:<see cref="Port"/> (a simulated
    /// cluster's DNS); the certificate must still name <see cref="Host"/>. Null: the host and port themselves.
    /// </summary>
    public System.Net.IPEndPoint? ConnectTo { get; init; }

    /// <summary>Bounds connect, handshake and each round trip.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest response accepted; a server claiming more is refused before anything is allocated.</summary>
    public int MaxResponseBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Options from PEM files as mongod takes them: the client certificate and key in one file
    /// (security.kmip.clientCertificateFile) or in two, and the server CA (security.kmip.serverCAFile).
    /// </summary>
    public static KmipTlsOptions FromPemFiles(string host, int port, string serverCaFile, string clientCertificateFile, string? clientKeyFile = null)
    {
        var cas = new X509Certificate2Collection();
        cas.ImportFromPemFile(serverCaFile);
        if (cas.Count == 0)
        {
            throw new KmipException($"no CA certificate in {serverCaFile}");
        }
        return new KmipTlsOptions
        {
            Host = host,
            Port = port,
            ClientCertificate = X509Certificate2.CreateFromPemFile(clientCertificateFile, clientKeyFile),
            TrustedCas = cas,
        };
    }
}
