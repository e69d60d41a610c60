using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.MongodSimulator.Server;

namespace HipaaMongo.MongodSimulator.Tls;

/// <summary>SslStream server options from the TLS settings (doc section 8): protocols, server cert, client-cert policy.</summary>
internal static class TlsServerOptions
{
    public static SslServerAuthenticationOptions For(ServerState state, ConnectionContext conn)
    {
        var config = state.Config;
        var certs = state.Certificates ?? throw new InvalidOperationException("TLS without certificates");
        var requestClientCert = certs.CA.Count > 0;
        return new SslServerAuthenticationOptions
        {
            ServerCertificate = certs.Server,
            EnabledSslProtocols = Protocols(config.DisabledProtocols),
            ClientCertificateRequired = requestClientCert,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null)
                {
                    return config.AllowConnectionsWithoutCertificates || !requestClientCert;
                }

                // mongod's OpenSSL verify callback lets every handshake complete and judges the peer certificate after
                // it (SSLManagerOpenSSL::verify_cb returns 1; parseAndValidatePeerCertificate then fails with "SSL peer
                // certificate validation failed" and the session is ended): the client sees the connection closed, not
                // a TLS alert. ConnectionHandler closes it.
                var client = cert as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
                conn.ClientCertificate = client;
                conn.ClientCertificateValid = ClientCertificateValidator.IsValid(client, certs.CA);
                return true;
            },
        };
    }

#pragma warning disable SYSLIB0039, CA5397, CA5398 // TLS 1.0/1.1 are offered only when disabledProtocols does not remove them, as mongod does.
    internal static SslProtocols Protocols(IReadOnlySet<string> disabled)
    {
        var p = SslProtocols.None;
        if (!disabled.Contains("TLS1_0"))
        {
            p |= SslProtocols.Tls;
        }

        if (!disabled.Contains("TLS1_1"))
        {
            p |= SslProtocols.Tls11;
        }

        if (!disabled.Contains("TLS1_2"))
        {
            p |= SslProtocols.Tls12;
        }

        if (!disabled.Contains("TLS1_3"))
        {
            p |= SslProtocols.Tls13;
        }

        return p;
    }
#pragma warning restore SYSLIB0039, CA5397, CA5398
}
