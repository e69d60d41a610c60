using System.Buffers.Binary;
using CsCheck;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>OP_MSG / OP_QUERY framing and malformed input (doc section 1): error or close, never a crash.</summary>
public sealed class WireProtocolTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();
    private MongodSimulatorHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await _h.StartAsync("net:\n  port: 27017\n  bindIp: 127.0.0.1\n", users: []);

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Legacy_op_query_hello_gets_op_reply_and_then_op_msg_works()
    {
        using var wire = await RawWire.ConnectAsync(_host.Port);

        await wire.SendAsync(RawWire.OpQuery("admin.$cmd", BsonDocument.Parse("{ isMaster: 1, helloOk: true, client: { driver: { name: 't' } } }"), requestId: 41));
        var legacy = await wire.ReceiveAsync();
        await wire.SendAsync(RawWire.OpMsg(BsonDocument.Parse("{ ping: 1, $db: 'admin' }"), requestId: 42));
        var msg = await wire.ReceiveAsync();

        Assert.Equal((1, 41), (legacy!.Value.OpCode, legacy.Value.ResponseTo));
        Assert.True(legacy.Value.Doc["ismaster"].AsBoolean);
        Assert.True(legacy.Value.Doc["helloOk"].AsBoolean);
        Assert.True(legacy.Value.Doc["maxWireVersion"].AsInt32 >= 21);
        Assert.False(legacy.Value.Doc.Contains("compression"));
        Assert.Equal((2013, 42, 1.0), (msg!.Value.OpCode, msg.Value.ResponseTo, msg.Value.Doc["ok"].ToDouble()));
    }

    [Fact]
    public async Task Hello_reply_fields_follow_mongods_order()
    {
        var host = await _h.StartAsync("net:\n  bindIp: 127.0.0.1\nreplication:\n  replSetName: rs0\n", users: []);
        using var wire = await RawWire.ConnectAsync(host.Port);
        await wire.SendAsync(RawWire.OpMsg(BsonDocument.Parse("{ replSetInitiate: {}, $db: 'admin' }")));
        _ = await wire.ReceiveAsync();

        await wire.SendAsync(RawWire.OpMsg(BsonDocument.Parse("{ hello: 1, helloOk: true, $db: 'admin' }")));
        var names = (await wire.ReceiveAsync())!.Value.Doc.Names.ToList();

        // Doc section 2.2 (replication_info.cpp / hello_response.cpp order), fields present on a single-node primary.
        string[] expected =
        [
            "helloOk", "topologyVersion", "hosts", "setName", "setVersion", "isWritablePrimary", "secondary", "primary", "me",
            "electionId", "lastWrite", "maxBsonObjectSize", "maxMessageSizeBytes", "maxWriteBatchSize", "localTime",
            "logicalSessionTimeoutMinutes", "connectionId", "minWireVersion", "maxWireVersion", "readOnly", "ok",
        ];
        Assert.Equal(expected, names.Where(expected.Contains));
        Assert.True(names.IndexOf("$clusterTime") > names.IndexOf("ok"));
    }

    [Fact]
    public async Task Op_query_for_other_commands_is_352_and_unknown_flag_bits_are_223()
    {
        using var wire = await RawWire.ConnectAsync(_host.Port);
        await wire.SendAsync(RawWire.OpQuery("admin.$cmd", BsonDocument.Parse("{ find: 'x' }")));
        var query = await wire.ReceiveAsync();

        await wire.SendAsync(RawWire.OpMsg(BsonDocument.Parse("{ ping: 1, $db: 'admin' }"), flags: 1u << 4));
        var flag = await wire.ReceiveAsync();
        var after = await wire.ReceiveAsync();

        Assert.Equal(352, query!.Value.Doc["code"].AsInt32);
        Assert.Equal(223, flag!.Value.Doc["code"].AsInt32);
        Assert.Null(after); // mongod closes the connection after an illegal flag
    }

    [Fact]
    public async Task Checksum_is_verified_and_a_mismatch_is_288()
    {
        using var wire = await RawWire.ConnectAsync(_host.Port);
        var good = WithChecksum(RawWire.OpMsg(BsonDocument.Parse("{ ping: 1, $db: 'admin' }")), corrupt: false);
        var bad = WithChecksum(RawWire.OpMsg(BsonDocument.Parse("{ ping: 1, $db: 'admin' }")), corrupt: true);

        await wire.SendAsync(good);
        var ok = await wire.ReceiveAsync();
        await wire.SendAsync(bad);
        var mismatch = await wire.ReceiveAsync();

        Assert.Equal(1.0, ok!.Value.Doc["ok"].ToDouble());
        Assert.Equal(288, mismatch!.Value.Doc["code"].AsInt32);
    }

    [Fact]
    public async Task Kind1_document_sequence_becomes_an_array_field_of_the_body()
    {
        using var wire = await RawWire.ConnectAsync(_host.Port);
        var body = RawWire.OpMsg(BsonDocument.Parse("{ getParameter: 1, $db: 'admin' }"));
        var id = System.Text.Encoding.UTF8.GetBytes("tlsMode\0");
        var doc = new BsonDocument("x", 1).ToBson();
        var section = new byte[1 + 4 + id.Length + doc.Length];
        section[0] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(section.AsSpan(1), section.Length - 1);
        id.CopyTo(section, 5);
        doc.CopyTo(section, 5 + id.Length);
        byte[] frame = [.. body, .. section];
        BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length);

        await wire.SendAsync(frame);
        var reply = await wire.ReceiveAsync();

        Assert.Equal("disabled", reply!.Value.Doc["tlsMode"].AsString);
    }

    [Fact]
    public async Task Malformed_frames_close_the_connection_and_the_server_keeps_serving()
    {
        var ping = RawWire.OpMsg(BsonDocument.Parse("{ ping: 1, $db: 'admin' }"));
        byte[][] broken =
        [
            [0x05, 0, 0, 0, 1, 2, 3, 4], // length below the header size
            Patch(ping, 0, 60_000_000), // length above maxMessageSizeBytes
            Patch(ping, 12, 9999), // unknown opcode
            Patch(ping, 21, 4000), // BSON length beyond the frame (truncated BSON)
            [.. ping.AsSpan(0, 10)], // frame cut short, then the client goes away
        ];

        foreach (var bytes in broken)
        {
            using var wire = await RawWire.ConnectAsync(_host.Port);
            await wire.SendAsync(bytes);
            if (bytes.Length == 10)
            {
                continue;
            }

            Assert.Null(await wire.ReceiveAsync());
        }

        Assert.Equal(1.0, (await PingAsync())["ok"].ToDouble());
    }

    [Fact]
    public async Task Random_bytes_after_a_valid_header_never_take_the_server_down()
    {
        var frames = Gen.Byte.Array[0, 64].Select(body =>
        {
            var frame = new byte[16 + 4 + body.Length];
            BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length);
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(12), 2013);
            body.CopyTo(frame, 20);
            return frame;
        });

        await frames.SampleAsync(async frame =>
        {
            using var wire = await RawWire.ConnectAsync(_host.Port);
            await wire.SendAsync(frame);
            _ = await wire.ReceiveAsync(); // an error reply or a close: both are fine, a hang is not
        }, iter: 40, threads: 1);

        Assert.Equal(1.0, (await PingAsync())["ok"].ToDouble());
    }

    private async Task<BsonDocument> PingAsync()
    {
        using var wire = await RawWire.ConnectAsync(_host.Port);
        await wire.SendAsync(RawWire.OpMsg(BsonDocument.Parse("{ ping: 1, $db: 'admin' }")));
        return (await wire.ReceiveAsync())!.Value.Doc;
    }

    private static byte[] Patch(byte[] frame, int offset, int value)
    {
        var copy = (byte[])frame.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    /// <summary>Appends a CRC-32C trailer computed by System.IO.Hashing-independent reference code (RFC 3720 polynomial).</summary>
    private static byte[] WithChecksum(byte[] frame, bool corrupt)
    {
        var withRoom = new byte[frame.Length + 4];
        frame.CopyTo(withRoom, 0);
        BinaryPrimitives.WriteInt32LittleEndian(withRoom, withRoom.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(withRoom.AsSpan(16), 1); // checksumPresent
        var crc = ReferenceCrc32C(withRoom.AsSpan(0, frame.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(withRoom.AsSpan(frame.Length), corrupt ? crc ^ 1 : crc);
        return withRoom;
    }

    private static uint ReferenceCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0x82F63B78u & (uint)-(int)(crc & 1));
            }
        }

        return ~crc;
    }
}
