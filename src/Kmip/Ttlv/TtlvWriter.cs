using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace HipaaMongo.Kmip.Ttlv;

/// <summary>
/// Encodes TTLV (KMIP 1.2 specification, 9.1): a 3-byte tag, a 1-byte type, a 4-byte big-endian length of the
/// value, the value, and zero padding to a multiple of 8 bytes. Pure.
/// </summary>
public static class TtlvWriter
{
    public static byte[] Encode(TtlvItem item)
    {
        var buffer = new MemoryStream();
        Write(buffer, item);
        return buffer.ToArray();
    }

    private static void Write(MemoryStream output, TtlvItem item)
    {
        var value = ValueBytes(item);
        Span<byte> header = stackalloc byte[8];
        header[0] = (byte)(item.Tag >> 16);
        header[1] = (byte)(item.Tag >> 8);
        header[2] = (byte)item.Tag;
        header[3] = (byte)item.Type;
        BinaryPrimitives.WriteInt32BigEndian(header[4..], value.Length);
        output.Write(header);
        output.Write(value);
        output.Write(new byte[Padding(value.Length)]);
    }

    /// <summary>Bytes of zero padding after a value of this length (9.1.1.3: every item ends on an 8-byte boundary).</summary>
    public static int Padding(int length) => (8 - (length % 8)) % 8;

    private static byte[] ValueBytes(TtlvItem item) => item.Type switch
    {
        ItemType.Structure => EncodeChildren(item.Children),
        ItemType.Integer => BigEndian32(item.IntegerValue),
        ItemType.Enumeration => BigEndian32(unchecked((int)item.EnumValue)),
        ItemType.Interval => BigEndian32(unchecked((int)item.IntervalValue)),
        ItemType.LongInteger => BigEndian64(item.LongValue),
        ItemType.DateTime => BigEndian64(item.DateTimeValue.ToUnixTimeSeconds()),
        ItemType.Boolean => BigEndian64(item.BooleanValue ? 1 : 0),
        ItemType.BigInteger => EncodeBigInteger(item.BigIntegerValue),
        ItemType.TextString => Encoding.UTF8.GetBytes(item.TextValue),
        ItemType.ByteString => item.BytesValue,
        _ => throw new KmipException($"cannot encode TTLV type {item.Type}"),
    };

    private static byte[] EncodeChildren(IReadOnlyList<TtlvItem> children)
    {
        var buffer = new MemoryStream();
        foreach (var child in children)
        {
            Write(buffer, child);
        }
        return buffer.ToArray();
    }

    private static byte[] BigEndian32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Two's complement, big-endian, sign-extended to a multiple of 8 bytes (9.1.1.4).</summary>
    private static byte[] EncodeBigInteger(BigInteger value)
    {
        var minimal = value.ToByteArray(isUnsigned: false, isBigEndian: true);
        var length = Math.Max(8, (minimal.Length + 7) / 8 * 8);
        var bytes = new byte[length];
        if (value.Sign < 0)
        {
            Array.Fill(bytes, (byte)0xFF);
        }
        minimal.CopyTo(bytes, length - minimal.Length);
        return bytes;
    }
}
