using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace HipaaMongo.ClusterSimulations.Pods.Mongod;

/// <summary>
/// The pod's listening socket (podIP:27017), forwarding bytes to the mongod simulator on an ephemeral port of the
/// same IP. It exists so a pod can hang: while <see cref="Hung"/>, connections are still accepted (the socket stays
/// open, as a frozen process's does) but nothing is forwarded either way, so clients time out. The upstream
/// connection is made from the client's own address, so mongod still sees (and audits) the real client IP.
/// </summary>
public sealed class PodPort : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _backend;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly Task _accept;
    private volatile TaskCompletionSource? _resume; // non-null while hung

    private PodPort(TcpListener listener, IPEndPoint backend)
    {
        _listener = listener;
        _backend = backend;
        _accept = AcceptAsync(_stop.Token);
    }

    /// <summary>Binds <paramref name="front"/>; a port in use is mongod's listener error.</summary>
    public static PodPort Start(IPEndPoint front, IPEndPoint backend)
    {
        var listener = new TcpListener(front);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"Failed to set up listener: {e.SocketErrorCode}", e);
        }
        return new PodPort(listener, backend);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>While true nothing is forwarded; setting false releases every waiting byte and connection.</summary>
    public bool Hung
    {
        get => _resume is not null;
        set
        {
            if (value && _resume is null)
            {
                _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else if (!value && Interlocked.Exchange(ref _resume, null) is { } resume)
            {
                resume.TrySetResult();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Hung = false;
        await _accept;
        await Task.WhenAll(_connections.Keys).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var task = ServeAsync(client, ct);
            _connections[task] = true;
            _ = task.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            try
            {
                await GateAsync(ct);
                var from = ((IPEndPoint)client.Client.RemoteEndPoint!).Address;
                using var upstream = new TcpClient(new IPEndPoint(from, 0));
                await upstream.ConnectAsync(_backend, ct);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var a = PumpAsync(client.GetStream(), upstream.GetStream(), stop.Token);
                var b = PumpAsync(upstream.GetStream(), client.GetStream(), stop.Token);
                await Task.WhenAny(a, b);
                await stop.CancelAsync();
                await Task.WhenAll(a, b).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // the client, mongod or the pod went away: the connection ends, as it would on a real node
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            await GateAsync(ct);
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    private Task GateAsync(CancellationToken ct) => _resume is { } resume ? resume.Task.WaitAsync(ct) : Task.CompletedTask;
}
