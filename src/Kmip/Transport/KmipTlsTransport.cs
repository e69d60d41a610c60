using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Kmip.Ttlv;

namespace HipaaMongo.Kmip.Transport;

/// <summary>
/// KMIP over mutual TLS (KMIP 1.2 specification, 10; the Basic Authentication Suite of the KMIP profiles):
/// one TLS connection per request, the client certificate always presented, the server certificate accepted
/// only when it chains to <see cref="KmipTlsOptions.TrustedCas"/> and names the host. A response is read as one
/// TTLV item whose header gives its length, bounded by <see cref="KmipTlsOptions.MaxResponseBytes"/>.
/// </summary>
public sealed class KmipTlsTransport(KmipTlsOptions options) : IKmipTransport
{
    public async Task<byte[]> RoundTripAsync(byte[] request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var tcp = new TcpClient();
            if (options.ConnectTo is { } address)
            {
                await tcp.ConnectAsync(address, timeout.Token);
            }
            else
            {
                await tcp.ConnectAsync(options.Host, options.Port, timeout.Token);
            }
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(ClientOptions(), timeout.Token);
            await tls.WriteAsync(request, timeout.Token);
            await tls.FlushAsync(timeout.Token);
            return await ReadResponseAsync(tls, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KmipException($"KMIP server {Endpoint} did not answer within {options.Timeout.TotalSeconds:0.#} s");
        }
        catch (AuthenticationException e)
        {
            throw new KmipException($"TLS with KMIP server {Endpoint} failed: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw new KmipException($"KMIP server {Endpoint}: {e.Message}", e);
        }
    }

    private string Endpoint => $"{options.Host}:{options.Port}";

    private SslClientAuthenticationOptions ClientOptions() => new()
    {
        TargetHost = options.Host,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        // Presented whatever CA names the server lists, as mongod presents its clientCertificateFile.
        ClientCertificateContext = SslStreamCertificateContext.Create(options.ClientCertificate, additionalCertificates: null, offline: true),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors),
    };

    /// <summary>The server's chain must end at one of the given CAs (never the system store) and name the host.</summary>
    private bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(options.TrustedCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }

    private async Task<byte[]> ReadResponseAsync(SslStream tls, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        await ReadExactlyAsync(tls, header, cancellationToken);
        var total = TtlvReader.TotalLength(header, options.MaxResponseBytes);
        var message = new byte[total];
        header.CopyTo(message, 0);
        await ReadExactlyAsync(tls, message.AsMemory(8), cancellationToken);
        return message;
    }

    private async Task ReadExactlyAsync(SslStream tls, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await tls.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException e)
        {
            throw new KmipException($"KMIP server {Endpoint} closed the connection before a whole response arrived", e);
        }
    }
}
