using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using HipaaMongo.MongodSimulator.Commands;
using HipaaMongo.MongodSimulator.Tls;
using HipaaMongo.MongodSimulator.Wire;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>One client connection: TLS negotiation per tlsMode, then the request/reply loop. Never throws.</summary>
internal static class ConnectionHandler
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(Func<ServerState> currentState, TcpClient client, CancellationToken ct)
    {
        var state = currentState();
        state.Stats.Opened();
        var conn = new ConnectionContext(state.NextConnectionId(),
            client.Client.LocalEndPoint as IPEndPoint, client.Client.RemoteEndPoint as IPEndPoint);
        Stream? stream = null;
        try
        {
            stream = await NegotiateAsync(state, client, conn, ct);
            if (stream is not null)
            {
                await LoopAsync(state, stream, conn, ct);
            }
        }
#pragma warning disable CA1031 // whatever one connection does, the server goes on: mongod closes that connection only
        catch (Exception)
        {
            // Broken framing, TLS refusal, a peer that vanished: close this connection.
        }
#pragma warning restore CA1031
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            client.Dispose();
            state.Stats.Closed();
        }
    }

    /// <summary>Returns the stream to talk on, or null when the connection must be closed without a reply.</summary>
    private static async Task<Stream?> NegotiateAsync(ServerState state, TcpClient client, ConnectionContext conn, CancellationToken ct)
    {
        var mode = state.Parameters.GetString("tlsMode"); // the runtime value: changes apply to new connections
        var network = client.GetStream();
        var tls = mode switch
        {
            "disabled" => false,
            "requireTLS" => true,
            _ => await LooksLikeTlsAsync(client.Client, ct),
        };
        if (!tls)
        {
            return network;
        }

        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(TlsServerOptions.For(state, conn), timeout.Token);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }

        if (conn.ClientCertificate is not null && !conn.ClientCertificateValid && !state.Config.AllowInvalidCertificates)
        {
            // As mongod: "SSL peer certificate validation failed", then the connection ends without a reply.
            await ssl.DisposeAsync();
            return null;
        }

        conn.Tls = true;
        return ssl;
    }

    /// <summary>allowTLS/preferTLS share one port: a TLS record starts with 0x16 (handshake).</summary>
    private static async Task<bool> LooksLikeTlsAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[1];
        var n = await socket.ReceiveAsync(buffer, SocketFlags.Peek, ct);
        return n == 1 && buffer[0] == 0x16;
    }

    private static async Task LoopAsync(ServerState state, Stream stream, ConnectionContext conn, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var frame = await WireReader.ReadFrameAsync(stream, ct);
            if (frame is null)
            {
                return;
            }

            await WhileHungAsync(state, ct);

            var (reply, close, exhaust) = await HandleFrameAsync(state, frame, conn, ct);
            if (reply is not null)
            {
                await WriteAsync(stream, reply, ct);
            }

            if (close)
            {
                return;
            }

            if (exhaust is { } streaming)
            {
                await StreamAsync(state, stream, conn, streaming, WireWriter.RequestIdOf(reply!), ct);
            }
        }
    }

    // Exhaust: each further reply answers the previous reply's requestID, as mongod's synthesised requests do.
    private static async Task StreamAsync(ServerState state, Stream stream, ConnectionContext conn,
        (WireRequest Request, BsonDocument Reply) last, int previousReplyId, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await WhileHungAsync(state, ct);
            var request = ExhaustHello.Next(last.Request, last.Reply);
            var reply = await RunSafelyAsync(Context(state, conn, request, ct));
            var more = ExhaustHello.Streams(request, reply);
            var bytes = WireWriter.OpMsg(previousReplyId, reply, more);
            await WriteAsync(stream, bytes, ct);
            if (!more)
            {
                return;
            }

            (last, previousReplyId) = ((request, reply), WireWriter.RequestIdOf(bytes));
        }
    }

    // A hung member (SimulatorFaults.Hang) reads requests but answers none until it resumes: the port stays open,
    // so clients wait out their own socket timeouts, as they do against a stopped (SIGSTOP) mongod.
    private static async Task WhileHungAsync(ServerState state, CancellationToken ct)
    {
        while (state.Repl.Hung)
        {
            await Task.Delay(50, ct);
        }
    }

    private static async Task WriteAsync(Stream stream, byte[] bytes, CancellationToken ct)
    {
        await stream.WriteAsync(bytes, ct);
        await stream.FlushAsync(ct);
    }

    private static async Task<(byte[]? Reply, bool Close, (WireRequest, BsonDocument)? Exhaust)> HandleFrameAsync(
        ServerState state, byte[] frame, ConnectionContext conn, CancellationToken ct)
    {
        WireRequest request;
        try
        {
            request = WireReader.Decode(frame);
        }
        catch (CommandException e)
        {
            var responseTo = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(4));
            var legacy = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(12)) == OpCodes.Query;
            var bytes = legacy ? WireWriter.OpReply(responseTo, e.ToReply()) : WireWriter.OpMsg(responseTo, e.ToReply());
            return (bytes, e.CloseConnection, null);
        }

        var reply = await RunSafelyAsync(Context(state, conn, request, ct));
        if (request.MoreToCome)
        {
            return (null, false, null);
        }

        return ExhaustHello.Streams(request, reply)
            ? (WireWriter.OpMsg(request.RequestId, reply, moreToCome: true), false, (request, reply))
            : (WireWriter.Reply(request, reply), false, null);
    }

    private static CommandContext Context(ServerState state, ConnectionContext conn, WireRequest request, CancellationToken ct) => new()
    {
        State = state,
        Connection = conn,
        Command = request.Command,
        Db = request.Database,
        Name = request.CommandName,
        Legacy = request.Legacy,
        Cancellation = ct,
    };

    /// <summary>A handler bug or a badly typed argument becomes an error reply, never a dead server.</summary>
    private static async Task<BsonDocument> RunSafelyAsync(CommandContext ctx)
    {
        try
        {
            return await CommandDispatcher.RunAsync(ctx);
        }
        catch (Exception e) when (e is InvalidCastException or KeyNotFoundException or ArgumentException or FormatException
                                      or InvalidOperationException or OverflowException)
        {
            // Badly typed arguments (a number where a string belongs) end up here: mongod answers BadValue/TypeMismatch.
            return new CommandException(ErrorCodes.BadValue, $"invalid {ctx.Name} command: {e.GetType().Name}").ToReply();
        }
    }
}
