using System.Buffers.Binary;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>A plaintext socket speaking raw wire-protocol frames, for malformed-input tests (OP_MSG spec layout).</summary>
public sealed class RawWire : IDisposable
{
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;

    public static async Task<RawWire> ConnectAsync(int port)
    {
        var w = new RawWire();
        await w._tcp.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        w._stream = w._tcp.GetStream();
        w._stream.ReadTimeout = 10_000;
        return w;
    }

    public static byte[] OpMsg(BsonDocument body, uint flags = 0, int requestId = 7)
    {
        var doc = body.ToBson();
        var frame = new byte[16 + 4 + 1 + doc.Length];
        Header(frame, requestId, 2013);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(16), flags);
        doc.CopyTo(frame, 21);
        return frame;
    }

    public static byte[] OpQuery(string ns, BsonDocument query, int requestId = 9)
    {
        var nsBytes = System.Text.Encoding.UTF8.GetBytes(ns + "\0");
        var doc = query.ToBson();
        var frame = new byte[16 + 4 + nsBytes.Length + 8 + doc.Length];
        Header(frame, requestId, 2004);
        nsBytes.CopyTo(frame, 20);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(20 + nsBytes.Length + 4), -1);
        doc.CopyTo(frame, 20 + nsBytes.Length + 8);
        return frame;
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes, TestContext.Current.CancellationToken).AsTask();

    /// <summary>Reads one reply: (opCode, responseTo, document), or null if the server closed the connection.</summary>
    public async Task<(int OpCode, int ResponseTo, BsonDocument Doc)?> ReceiveAsync()
    {
        var header = new byte[16];
        if (!await ReadExactly(header))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var rest = new byte[length - 16];
        if (!await ReadExactly(rest))
        {
            return null;
        }

        var opCode = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        var offset = opCode == 2013 ? 5 : 20; // OP_MSG: flags + kind byte; OP_REPLY: flags, cursorId, from, count
        var doc = BsonSerializer.Deserialize<BsonDocument>(rest.AsSpan(offset).ToArray());
        return (opCode, BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)), doc);
    }

    /// <summary>Reads one OP_MSG reply with its header: (requestID, responseTo, flagBits, document), or null when closed.</summary>
    public async Task<(int RequestId, int ResponseTo, uint Flags, BsonDocument Doc)?> ReceiveMsgAsync()
    {
        var header = new byte[16];
        if (!await ReadExactly(header))
        {
            return null;
        }

        var rest = new byte[BinaryPrimitives.ReadInt32LittleEndian(header) - 16];
        if (!await ReadExactly(rest))
        {
            return null;
        }

        var doc = BsonSerializer.Deserialize<BsonDocument>(rest.AsSpan(5).ToArray());
        return (BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4)), BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)),
            BinaryPrimitives.ReadUInt32LittleEndian(rest), doc);
    }

    public void Dispose() => _tcp.Dispose();

    private static void Header(byte[] frame, int requestId, int opCode)
    {
        BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), requestId);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(12), opCode);
    }

    private async Task<bool> ReadExactly(byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = await _stream.ReadAsync(buffer.AsMemory(read), TestContext.Current.CancellationToken);
            }
            catch (IOException)
            {
                return false;
            }

            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
