using System.Numerics;
using HipaaMongo.Kmip.Ttlv;

namespace HipaaMongo.Kmip.Tests;

/// <summary>
/// The encoding examples of the KMIP 1.1/1.2 specification, section 9.1.2 (tag 0x420020 "Compromise Date" used
/// as a neutral tag), each encoded and decoded. PyKMIP's kmip/tests/unit/core/primitives/test_*.py use the same.
/// </summary>
public class TtlvVectorTests
{
    private const int T = 0x420020;

    public static TheoryData<string, string> Examples() => new()
    {
        { "integer 8", "42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00" },
        { "long integer 123456789000000000", "42 00 20 | 03 | 00 00 00 08 | 01 B6 9B 4B A5 74 92 00" },
        { "big integer 1234567890000000000000000000", "42 00 20 | 04 | 00 00 00 10 | 00 00 00 00 03 FD 35 EB 6B C2 DF 46 18 08 00 00" },
        { "enumeration 255", "42 00 20 | 05 | 00 00 00 04 | 00 00 00 FF 00 00 00 00" },
        { "boolean true", "42 00 20 | 06 | 00 00 00 08 | 00 00 00 00 00 00 00 01" },
        { "text Hello World", "42 00 20 | 07 | 00 00 00 0B | 48 65 6C 6C 6F 20 57 6F 72 6C 64 00 00 00 00 00" },
        { "bytes 01 02 03", "42 00 20 | 08 | 00 00 00 03 | 01 02 03 00 00 00 00 00" },
        { "date-time 2008-03-14T11:56:40Z", "42 00 20 | 09 | 00 00 00 08 | 00 00 00 00 47 DA 67 F8" },
        { "interval 10 days", "42 00 20 | 0A | 00 00 00 04 | 00 0D 2F 00 00 00 00 00" },
        { "structure of enumeration 254 and integer 255", "42 00 20 | 01 | 00 00 00 20 | 42 00 04 | 05 | 00 00 00 04 | 00 00 00 FE 00 00 00 00 | 42 00 05 | 02 | 00 00 00 04 | 00 00 00 FF 00 00 00 00" },
    };

    private static TtlvItem Value(string example) => example switch
    {
        "integer 8" => TtlvItem.Integer(T, 8),
        "long integer 123456789000000000" => TtlvItem.LongInteger(T, 123456789000000000),
        "big integer 1234567890000000000000000000" => TtlvItem.BigInteger(T, BigInteger.Parse("1234567890000000000000000000")),
        "enumeration 255" => TtlvItem.Enumeration(T, 255),
        "boolean true" => TtlvItem.Boolean(T, true),
        "text Hello World" => TtlvItem.Text(T, "Hello World"),
        "bytes 01 02 03" => TtlvItem.Bytes(T, [1, 2, 3]),
        "date-time 2008-03-14T11:56:40Z" => TtlvItem.DateTime(T, new DateTimeOffset(2008, 3, 14, 11, 56, 40, TimeSpan.Zero)),
        "interval 10 days" => TtlvItem.Interval(T, 10 * 24 * 3600),
        "structure of enumeration 254 and integer 255" => TtlvItem.Structure(T, TtlvItem.Enumeration(0x420004, 254), TtlvItem.Integer(0x420005, 255)),
        _ => throw new ArgumentException(example),
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Encodes_the_specification_example(string example, string bytes) =>
        Assert.Equal(Hex.Of(Hex.Bytes(bytes)), Hex.Of(TtlvWriter.Encode(Value(example))));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Decodes_the_specification_example_to_the_same_value(string example, string bytes)
    {
        var decoded = TtlvReader.Decode(Hex.Bytes(bytes));
        var expected = Value(example);
        Assert.Equal(expected.Tag, decoded.Tag);
        Assert.Equal(expected.Type, decoded.Type);
        Assert.Equal(Hex.Of(TtlvWriter.Encode(expected)), Hex.Of(TtlvWriter.Encode(decoded)));
    }

    [Fact]
    public void Decoded_values_read_back_through_the_typed_accessors()
    {
        Assert.Equal(123456789000000000, TtlvReader.Decode(Hex.Bytes("42 00 20 | 03 | 00 00 00 08 | 01 B6 9B 4B A5 74 92 00")).LongValue);
        Assert.Equal("Hello World", TtlvReader.Decode(Hex.Bytes("42 00 20 | 07 | 00 00 00 0B | 48 65 6C 6C 6F 20 57 6F 72 6C 64 00 00 00 00 00")).TextValue);
        Assert.Equal(new DateTimeOffset(2008, 3, 14, 11, 56, 40, TimeSpan.Zero), TtlvReader.Decode(Hex.Bytes("42 00 20 | 09 | 00 00 00 08 | 00 00 00 00 47 DA 67 F8")).DateTimeValue);
        Assert.Equal(BigInteger.Parse("1234567890000000000000000000"), TtlvReader.Decode(Hex.Bytes("42 00 20 | 04 | 00 00 00 10 | 00 00 00 00 03 FD 35 EB 6B C2 DF 46 18 08 00 00")).BigIntegerValue);
    }

    [Fact]
    public void A_negative_big_integer_is_sign_extended_to_eight_bytes()
    {
        var encoded = TtlvWriter.Encode(TtlvItem.BigInteger(T, -1));
        Assert.Equal("420020040000000" + "8FFFFFFFFFFFFFFFF", Hex.Of(encoded));
        Assert.Equal(BigInteger.MinusOne, TtlvReader.Decode(encoded).BigIntegerValue);
    }

    [Fact]
    public void A_typed_accessor_of_the_wrong_type_names_the_tag()
    {
        var e = Assert.Throws<KmipException>(() => TtlvItem.Integer(T, 1).TextValue);
        Assert.Contains("0x420020", e.Message);
        Assert.Contains("TextString", e.Message);
    }
}
