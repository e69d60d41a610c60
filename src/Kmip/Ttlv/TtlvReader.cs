using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace HipaaMongo.Kmip.Ttlv;

/// <summary>
/// Decodes TTLV strictly (KMIP 1.2 specification, 9.1): every length is checked against the bytes actually
/// present before anything is allocated, fixed-size types must have their fixed length, padding must be zero,
/// booleans 0 or 1, text valid UTF-8, and nesting is bounded. Anything else is a <see cref="KmipException"/>
/// saying where and why; never an index error, never an allocation larger than the input. Pure.
/// </summary>
public static class TtlvReader
{
    /// <summary>Deeper than any KMIP 1.x message (a Get response is 6 levels); bounds the recursion.</summary>
    public const int MaxDepth = 32;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes exactly one item that fills <paramref name="input"/> (trailing bytes are an error).</summary>
    public static TtlvItem Decode(ReadOnlySpan<byte> input)
    {
        var offset = 0;
        var item = ReadItem(input, ref offset, input.Length, depth: 0);
        if (offset != input.Length)
        {
            throw new KmipException($"TTLV: {input.Length - offset} unexpected bytes after the item {Tag.Format(item.Tag)}");
        }
        return item;
    }

    /// <summary>
    /// Reads an 8-byte item header and returns the total length of the item (header, value and padding), so a
    /// transport knows how many bytes to read; checks the tag's shape and bounds the length by <paramref name="maxBytes"/>.
    /// </summary>
    public static int TotalLength(ReadOnlySpan<byte> header, int maxBytes)
    {
        if (header.Length < 8)
        {
            throw new KmipException($"TTLV: a header needs 8 bytes, got {header.Length}");
        }
        CheckTag(ReadTag(header), 0);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var total = 8L + length + TtlvWriter.Padding((int)(length % 8));
        if (total > maxBytes)
        {
            throw new KmipException($"TTLV: item {Tag.Format(ReadTag(header))} claims {length} bytes, more than the limit of {maxBytes}");
        }
        return (int)total;
    }

    /// <summary>Reads the item at <paramref name="offset"/>, which must end by <paramref name="end"/> (its parent's end).</summary>
    private static TtlvItem ReadItem(ReadOnlySpan<byte> input, ref int offset, int end, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new KmipException($"TTLV: structures nested deeper than {MaxDepth} at offset {offset}");
        }
        if (end - offset < 8)
        {
            throw new KmipException($"TTLV: truncated header at offset {offset} ({end - offset} of 8 bytes)");
        }
        var header = input.Slice(offset, 8);
        var tag = ReadTag(header);
        CheckTag(tag, offset);
        var type = (ItemType)header[3];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var available = end - offset - 8;
        var padded = (long)length + TtlvWriter.Padding((int)(length % 8));
        if (padded > available)
        {
            throw new KmipException($"TTLV: item {Tag.Format(tag)} at offset {offset} claims {length} bytes, only {available} remain");
        }
        var start = offset + 8;
        CheckPadding(input.Slice(start + (int)length, (int)(padded - length)), tag);
        var item = type == ItemType.Structure
            ? TtlvItem.Structure(tag, ReadChildren(input, start, start + (int)length, depth))
            : ReadValue(tag, type, input.Slice(start, (int)length), offset);
        offset = start + (int)padded;
        return item;
    }

    private static int ReadTag(ReadOnlySpan<byte> header) => (header[0] << 16) | (header[1] << 8) | header[2];

    /// <summary>Standard tags are 0x42xxxx, extensions 0x54xxxx (9.1.3.1); anything else is not KMIP.</summary>
    private static void CheckTag(int tag, int offset)
    {
        if ((tag >> 16) is not (0x42 or 0x54))
        {
            throw new KmipException($"TTLV: {Tag.Format(tag)} at offset {offset} is not a KMIP tag (0x42xxxx or 0x54xxxx)");
        }
    }

    private static void CheckPadding(ReadOnlySpan<byte> padding, int tag)
    {
        if (padding.IndexOfAnyExcept((byte)0) >= 0)
        {
            throw new KmipException($"TTLV: item {Tag.Format(tag)} has non-zero padding");
        }
    }

    private static TtlvItem ReadValue(int tag, ItemType type, ReadOnlySpan<byte> value, int offset) => type switch
    {
        ItemType.Integer => TtlvItem.Integer(tag, BinaryPrimitives.ReadInt32BigEndian(Fixed(value, 4, tag, type))),
        ItemType.Enumeration => TtlvItem.Enumeration(tag, BinaryPrimitives.ReadUInt32BigEndian(Fixed(value, 4, tag, type))),
        ItemType.Interval => TtlvItem.Interval(tag, BinaryPrimitives.ReadUInt32BigEndian(Fixed(value, 4, tag, type))),
        ItemType.LongInteger => TtlvItem.LongInteger(tag, BinaryPrimitives.ReadInt64BigEndian(Fixed(value, 8, tag, type))),
        ItemType.DateTime => TtlvItem.DateTime(tag, ReadDateTime(Fixed(value, 8, tag, type), tag)),
        ItemType.Boolean => TtlvItem.Boolean(tag, ReadBoolean(Fixed(value, 8, tag, type), tag)),
        ItemType.BigInteger => TtlvItem.BigInteger(tag, ReadBigInteger(value, tag)),
        ItemType.TextString => TtlvItem.Text(tag, ReadText(value, tag)),
        ItemType.ByteString => TtlvItem.Bytes(tag, value),
        _ => throw new KmipException($"TTLV: item {Tag.Format(tag)} at offset {offset} has unknown type 0x{(byte)type:X2}"),
    };

    private static List<TtlvItem> ReadChildren(ReadOnlySpan<byte> input, int offset, int end, int depth)
    {
        var children = new List<TtlvItem>();
        while (offset < end)
        {
            children.Add(ReadItem(input, ref offset, end, depth + 1));
        }
        return children;
    }

    private static ReadOnlySpan<byte> Fixed(ReadOnlySpan<byte> value, int size, int tag, ItemType type) =>
        value.Length == size
            ? value
            : throw new KmipException($"TTLV: {type} {Tag.Format(tag)} must be {size} bytes, is {value.Length}");

    private static DateTimeOffset ReadDateTime(ReadOnlySpan<byte> value, int tag)
    {
        var seconds = BinaryPrimitives.ReadInt64BigEndian(value);
        return seconds is >= -62135596800 and <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new KmipException($"TTLV: Date-Time {Tag.Format(tag)} is out of range ({seconds} s)");
    }

    private static bool ReadBoolean(ReadOnlySpan<byte> value, int tag) => BinaryPrimitives.ReadUInt64BigEndian(value) switch
    {
        0 => false,
        1 => true,
        var other => throw new KmipException($"TTLV: Boolean {Tag.Format(tag)} must be 0 or 1, is {other}"),
    };

    private static BigInteger ReadBigInteger(ReadOnlySpan<byte> value, int tag) =>
        value.Length > 0 && value.Length % 8 == 0
            ? new BigInteger(value, isUnsigned: false, isBigEndian: true)
            : throw new KmipException($"TTLV: Big Integer {Tag.Format(tag)} length {value.Length} is not a positive multiple of 8");

    private static string ReadText(ReadOnlySpan<byte> value, int tag)
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException e)
        {
            throw new KmipException($"TTLV: Text String {Tag.Format(tag)} is not valid UTF-8", e);
        }
    }
}
