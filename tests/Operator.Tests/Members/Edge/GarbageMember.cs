using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.Operator.Tests.Members.Edge;

/// <summary>
/// A listener that completes a proper TLS handshake with a valid member certificate and then answers every
/// request with bytes that are not a MongoDB wire message: a member whose answers are nonsense.
/// </summary>
internal sealed class GarbageMember : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly X509Certificate2 _certificate;

    public GarbageMember(IPAddress ip, X509Certificate2 certificate)
    {
        _certificate = certificate;
        _listener = new TcpListener(ip, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptAsync();
    }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                var buffer = new byte[4096];
                while (await tls.ReadAsync(buffer, _stop.Token) > 0)
                {
                    // A message length of 5, shorter than any wire-protocol header (16 bytes), then junk.
                    await tls.WriteAsync(new byte[] { 5, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 0, 0, 0, 0 }, _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                // the client gave up on the nonsense, as it should
            }
        }
    }
}
