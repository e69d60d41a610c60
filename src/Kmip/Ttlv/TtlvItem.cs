using System.Numerics;

namespace HipaaMongo.Kmip.Ttlv;

/// <summary>
/// One TTLV item: a tag, a type and a value of that type. Immutable; built with the factory methods, read with
/// the typed accessors, which throw a <see cref="KmipException"/> naming the tag when the type is not the one
/// expected (a server's answer is input, not a promise).
/// </summary>
public sealed class TtlvItem
{
    private readonly object _value;

    private TtlvItem(int tag, ItemType type, object value)
    {
        if (tag is < 0 or > 0xFFFFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(tag), "a TTLV tag is three bytes");
        }
        Tag = tag;
        Type = type;
        _value = value;
    }

    public int Tag { get; }

    public ItemType Type { get; }

    public static TtlvItem Structure(int tag, params IEnumerable<TtlvItem> children) =>
        new(tag, ItemType.Structure, children.ToArray());

    public static TtlvItem Integer(int tag, int value) => new(tag, ItemType.Integer, value);

    public static TtlvItem LongInteger(int tag, long value) => new(tag, ItemType.LongInteger, value);

    public static TtlvItem BigInteger(int tag, BigInteger value) => new(tag, ItemType.BigInteger, value);

    public static TtlvItem Enumeration(int tag, uint value) => new(tag, ItemType.Enumeration, value);

    public static TtlvItem Boolean(int tag, bool value) => new(tag, ItemType.Boolean, value);

    public static TtlvItem Text(int tag, string value) => new(tag, ItemType.TextString, value);

    public static TtlvItem Bytes(int tag, ReadOnlySpan<byte> value) => new(tag, ItemType.ByteString, value.ToArray());

    /// <summary>KMIP Date-Time: seconds since the Unix epoch, UTC.</summary>
    public static TtlvItem DateTime(int tag, DateTimeOffset value) =>
        new(tag, ItemType.DateTime, value.ToUnixTimeSeconds());

    /// <summary>KMIP Interval: a length of time in seconds.</summary>
    public static TtlvItem Interval(int tag, uint seconds) => new(tag, ItemType.Interval, seconds);

    public IReadOnlyList<TtlvItem> Children => As<TtlvItem[]>(ItemType.Structure);

    public int IntegerValue => As<int>(ItemType.Integer);

    public long LongValue => As<long>(ItemType.LongInteger);

    public BigInteger BigIntegerValue => As<BigInteger>(ItemType.BigInteger);

    public uint EnumValue => As<uint>(ItemType.Enumeration);

    public bool BooleanValue => As<bool>(ItemType.Boolean);

    public string TextValue => As<string>(ItemType.TextString);

    /// <summary>A copy of the bytes, so callers cannot change the item.</summary>
    public byte[] BytesValue => (byte[])As<byte[]>(ItemType.ByteString).Clone();

    public DateTimeOffset DateTimeValue => DateTimeOffset.FromUnixTimeSeconds(As<long>(ItemType.DateTime));

    public uint IntervalValue => As<uint>(ItemType.Interval);

    /// <summary>The first child with this tag, or null.</summary>
    public TtlvItem? Find(int tag) => Children.FirstOrDefault(c => c.Tag == tag);

    /// <summary>Every child with this tag, in order.</summary>
    public IEnumerable<TtlvItem> FindAll(int tag) => Children.Where(c => c.Tag == tag);

    /// <summary>The first child with this tag; a <see cref="KmipException"/> naming both tags when it is absent.</summary>
    public TtlvItem Require(int tag) =>
        Find(tag) ?? throw new KmipException($"TTLV structure {Ttlv.Tag.Format(Tag)} lacks the required item {Ttlv.Tag.Format(tag)}");

    internal object RawValue => _value;

    private T As<T>(ItemType expected) => Type == expected
        ? (T)_value
        : throw new KmipException($"TTLV item {Ttlv.Tag.Format(Tag)} is a {Type}, expected a {expected}");

    /// <summary>Names tag and type only: byte strings may be key material.</summary>
    public override string ToString() => $"{Ttlv.Tag.Format(Tag)} {Type}";
}
