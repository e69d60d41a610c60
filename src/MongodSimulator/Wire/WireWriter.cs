using System.Buffers.Binary;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Wire;

/// <summary>Builds replies: OP_MSG with one kind-0 section, or OP_REPLY for the legacy OP_QUERY handshake.</summary>
internal static class WireWriter
{
    private static int _nextRequestId;

    public static byte[] Reply(WireRequest request, BsonDocument reply) =>
        request.Legacy ? OpReply(request.RequestId, reply) : OpMsg(request.RequestId, reply);

    /// <summary>An OP_MSG reply; <paramref name="moreToCome"/> (flag bit 1) says another reply follows unasked (exhaust).</summary>
    public static byte[] OpMsg(int responseTo, BsonDocument reply, bool moreToCome = false)
    {
        var doc = reply.ToBson();
        var frame = new byte[16 + 4 + 1 + doc.Length];
        WriteHeader(frame, responseTo, OpCodes.Msg);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(16), moreToCome ? 2u : 0u); // never a checksum
        frame[20] = 0; // section kind 0
        doc.CopyTo(frame, 21);
        return frame;
    }

    public static byte[] OpReply(int responseTo, BsonDocument reply)
    {
        var doc = reply.ToBson();
        var frame = new byte[16 + 20 + doc.Length];
        WriteHeader(frame, responseTo, OpCodes.Reply);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(16), 8); // AwaitCapable, as mongod sets
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(32), 1); // numberReturned (cursorID, startingFrom = 0)
        doc.CopyTo(frame, 36);
        return frame;
    }

    /// <summary>The requestID a frame was sent with (an exhaust reply's successor answers to it).</summary>
    public static int RequestIdOf(byte[] frame) => BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(4));

    private static void WriteHeader(byte[] frame, int responseTo, int opCode)
    {
        var span = frame.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, frame.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], Interlocked.Increment(ref _nextRequestId));
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], opCode);
    }
}
