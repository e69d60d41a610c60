using System.Buffers.Binary;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Wire;

/// <summary>Builds replies: OP_MSG with one kind-0 section, or OP_REPLY for the legacy OP_QUERY handshake.</summary>
internal static class WireWriter
{
    private static int _nextRequestId;

    public static byte[] Reply(WireRequest request, BsonDocument reply) =>
        request.Legacy ? OpReply(request.RequestId, reply) : OpMsg(request.RequestId, reply);

    public static byte[] OpMsg(int responseTo, BsonDocument reply)
    {
        var doc = reply.ToBson();
        var frame = new byte[16 + 4 + 1 + doc.Length];
        WriteHeader(frame, responseTo, OpCodes.Msg);
        frame[20] = 0; // section kind 0; flagBits (bytes 16..19) stay 0: never moreToCome, never a checksum
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

    private static void WriteHeader(byte[] frame, int responseTo, int opCode)
    {
        var span = frame.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, frame.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], Interlocked.Increment(ref _nextRequestId));
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], opCode);
    }
}
