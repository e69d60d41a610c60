using System.Buffers.Binary;
using System.Text;
using HipaaMongo.MongodSimulator.Commands;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace HipaaMongo.MongodSimulator.Wire;

/// <summary>Reads one framed message and decodes OP_MSG / OP_QUERY (doc section 1).</summary>
internal static class WireReader
{
    public const int MaxMessageSize = 48_000_000;
    private const int HeaderSize = 16;

    /// <summary>
    /// mongod's OP_QUERY allow-list: the handshake plus its "temporarily allowed" authentication commands, which
    /// MongoDB.Driver 3.x still sends over OP_QUERY while initialising a connection (service_entry_point_common.cpp).
    /// </summary>
    private static readonly string[] OpQueryCommands =
        ["hello", "isMaster", "ismaster", "_isSelf", "authenticate", "buildinfo", "buildInfo", "saslContinue", "saslStart"];

    /// <summary>Returns null on a clean end of stream; throws WireProtocolException when the connection must close.</summary>
    public static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[4];
        if (!await ReadExactlyOrEofAsync(stream, header, ct))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < HeaderSize || length > MaxMessageSize)
        {
            throw new WireProtocolException($"bad message length {length}");
        }

        var frame = new byte[length];
        header.CopyTo(frame, 0);
        if (!await ReadExactlyOrEofAsync(stream, frame.AsMemory(4), ct))
        {
            throw new WireProtocolException("truncated message");
        }

        return frame;
    }

    /// <summary>Decodes a frame; CommandException = answer with an error, WireProtocolException = close.</summary>
    public static WireRequest Decode(byte[] frame)
    {
        var requestId = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(4));
        var opCode = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(12));
        return opCode switch
        {
            OpCodes.Msg => DecodeMsg(frame, requestId),
            OpCodes.Query => DecodeQuery(frame, requestId),
            _ => throw new WireProtocolException($"unsupported opcode {opCode}"),
        };
    }

    private static WireRequest DecodeMsg(byte[] frame, int requestId)
    {
        if (frame.Length < HeaderSize + 5)
        {
            throw new WireProtocolException("OP_MSG too short");
        }

        var flags = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(HeaderSize));
        var end = frame.Length;
        // Unknown required bits (low 16 besides checksumPresent/moreToCome) are fatal; high bits are optional.
        var illegal = flags & 0xFFFFu & ~0x3u;
        if (illegal != 0)
        {
            throw new CommandException(ErrorCodes.IllegalOpMsgFlag, $"Unrecognized OP_MSG flag bits: {illegal:x}") { CloseConnection = true };
        }

        if ((flags & 1) != 0)
        {
            end -= 4;
            var expected = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(end));
            if (end < HeaderSize + 4 || Crc32C.Compute(frame.AsSpan(0, end)) != expected)
            {
                throw new CommandException(ErrorCodes.ChecksumMismatch, "OP_MSG checksum does not match contents") { CloseConnection = true };
            }
        }

        var body = ReadSections(frame, HeaderSize + 4, end);
        var db = body.TryGetValue("$db", out var d) && d.IsString ? d.AsString : "admin";
        return new WireRequest(requestId, body, db, Legacy: false, MoreToCome: (flags & 2) != 0, ExhaustAllowed: (flags & 0x10000) != 0);
    }

    private static BsonDocument ReadSections(byte[] frame, int pos, int end)
    {
        BsonDocument? body = null;
        var sequences = new List<(string Id, BsonArray Docs)>();
        while (pos < end)
        {
            var kind = frame[pos++];
            if (kind == 0)
            {
                if (body is not null)
                {
                    throw new WireProtocolException("OP_MSG with more than one body section");
                }

                body = ReadDocument(frame, ref pos, end);
            }
            else if (kind == 1)
            {
                sequences.Add(ReadSequence(frame, ref pos, end));
            }
            else
            {
                throw new WireProtocolException($"unknown OP_MSG section kind {kind}");
            }
        }

        if (body is null)
        {
            throw new WireProtocolException("OP_MSG without a body section");
        }

        foreach (var (id, docs) in sequences)
        {
            body[id] = docs;
        }

        return body;
    }

    private static (string, BsonArray) ReadSequence(byte[] frame, ref int pos, int end)
    {
        var size = ReadInt32(frame, pos, end);
        var seqEnd = pos + size;
        if (size < 5 || seqEnd > end)
        {
            throw new WireProtocolException("bad document sequence size");
        }

        pos += 4;
        var id = ReadCString(frame, ref pos, seqEnd);
        var docs = new BsonArray();
        while (pos < seqEnd)
        {
            docs.Add(ReadDocument(frame, ref pos, seqEnd));
        }

        return (id, docs);
    }

    private static WireRequest DecodeQuery(byte[] frame, int requestId)
    {
        var pos = HeaderSize + 4;
        var ns = ReadCString(frame, ref pos, frame.Length);
        pos += 8; // numberToSkip, numberToReturn
        var query = ReadDocument(frame, ref pos, frame.Length);
        if (query.TryGetValue("$query", out var inner) && inner.IsBsonDocument)
        {
            query = inner.AsBsonDocument;
        }

        var db = ns.EndsWith(".$cmd", StringComparison.Ordinal) ? ns[..^5] : ns;
        var request = new WireRequest(requestId, query, db, Legacy: true, MoreToCome: false);
        if (!ns.EndsWith(".$cmd", StringComparison.Ordinal) || !OpQueryCommands.Contains(request.CommandName))
        {
            throw new CommandException(ErrorCodes.UnsupportedOpQueryCommand,
                $"Unsupported OP_QUERY command: {request.CommandName}. The client driver may require an upgrade. " +
                "For more details see https://dochub.mongodb.org/core/legacy-opcode-removal");
        }

        return request;
    }

    private static BsonDocument ReadDocument(byte[] frame, ref int pos, int end)
    {
        var size = ReadInt32(frame, pos, end);
        if (size < 5 || pos + size > end || frame[pos + size - 1] != 0)
        {
            throw new WireProtocolException("invalid BSON document length");
        }

        try
        {
            using var stream = new MemoryStream(frame, pos, size, writable: false);
            using var reader = new BsonBinaryReader(stream);
            var doc = BsonDocumentSerializer.Instance.Deserialize(BsonDeserializationContext.CreateRoot(reader));
            pos += size;
            return doc;
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or BsonException or ArgumentException)
        {
            throw new WireProtocolException("invalid BSON", e);
        }
    }

    private static int ReadInt32(byte[] frame, int pos, int end) =>
        pos + 4 <= end ? BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(pos)) : throw new WireProtocolException("truncated message");

    private static string ReadCString(byte[] frame, ref int pos, int end)
    {
        var zero = Array.IndexOf(frame, (byte)0, pos, Math.Max(0, end - pos));
        if (zero < 0)
        {
            throw new WireProtocolException("unterminated cstring");
        }

        var s = Encoding.UTF8.GetString(frame, pos, zero - pos);
        pos = zero + 1;
        return s;
    }

    private static async Task<bool> ReadExactlyOrEofAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[read..], ct);
            if (n == 0)
            {
                return read == 0 ? false : throw new WireProtocolException("truncated message");
            }

            read += n;
        }

        return true;
    }
}
