using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using HipaaMongo.Kmip.Transport;
using HipaaMongo.Kmip.Ttlv;

namespace HipaaMongo.Kmip.Tests;

/// <summary>
/// A TLS server in the test that answers any request with chosen bytes: the transport and client turn every bad
/// answer into a <see cref="KmipException"/>, and a length claim beyond the limit is refused before it is allocated.
/// </summary>
public sealed class HostileServerTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_response_claiming_gigabytes_is_refused_without_reading_it()
    {
        var e = await Assert.ThrowsAsync<KmipException>(() => RoundTripAsync(Hex.Bytes("42 00 7B | 01 | 7F FF FF F8")));
        Assert.Contains("more than the limit", e.Message);
    }

    [Fact]
    public async Task A_truncated_response_is_refused()
    {
        var e = await Assert.ThrowsAsync<KmipException>(() => RoundTripAsync(Hex.Bytes("42 00 7B | 01 | 00 00 00 40 | 42 00 7A | 01")));
        Assert.Contains("closed the connection before a whole response arrived", e.Message);
    }

    [Fact]
    public async Task A_response_that_is_not_KMIP_is_refused()
    {
        var e = await Assert.ThrowsAsync<KmipException>(() => RoundTripAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray()));
        Assert.Contains("is not a KMIP tag", e.Message);
    }

    [Fact]
    public async Task A_well_formed_item_that_is_not_a_response_is_refused()
    {
        var e = await Assert.ThrowsAsync<KmipException>(() => RoundTripAsync(Hex.Bytes("42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00")));
        Assert.Contains("expected a KMIP Response Message", e.Message);
    }

    [Fact]
    public async Task A_silent_server_times_out_with_a_clear_message()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new KmipClient(Options(((IPEndPoint)listener.LocalEndpoint).Port) with { Timeout = TimeSpan.FromMilliseconds(300) });
        var e = await Assert.ThrowsAsync<KmipException>(() => client.GetStateAsync("1", Ct));
        Assert.Contains("did not answer within", e.Message);
    }

    public void Dispose() => _pki.Dispose();

    private KmipTlsOptions Options(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        ClientCertificate = _pki.ClientWithKey(),
        TrustedCas = [_pki.Ca],
    };

    /// <summary>Serves one connection: reads the request, answers with <paramref name="answer"/>, closes.</summary>
    private async Task RoundTripAsync(byte[] answer)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = ServeOnceAsync(listener, answer);
        var client = new KmipClient(Options(((IPEndPoint)listener.LocalEndpoint).Port));
        try
        {
            await client.GetStateAsync("1", Ct);
        }
        finally
        {
            await serve;
        }
    }

    private async Task ServeOnceAsync(TcpListener listener, byte[] answer)
    {
        using var tcp = await listener.AcceptTcpClientAsync(Ct);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = _pki.Server,
            ClientCertificateRequired = true,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, Ct);
        var header = new byte[8];
        await tls.ReadExactlyAsync(header, Ct);
        await tls.ReadExactlyAsync(new byte[TtlvReader.TotalLength(header, 1 << 16) - 8], Ct);
        await tls.WriteAsync(answer, Ct);
        await tls.FlushAsync(Ct);
    }
}
