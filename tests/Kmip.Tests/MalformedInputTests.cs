using CsCheck;
using HipaaMongo.Kmip.Ttlv;

namespace HipaaMongo.Kmip.Tests;

/// <summary>
/// What a broken or hostile server can send: every malformed input is a <see cref="KmipException"/> that says
/// what is wrong; nothing else escapes the decoder, and no length claim allocates more than the input.
/// </summary>
public class MalformedInputTests
{
    private const string Integer8 = "42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00";

    [Theory]
    [InlineData("42 00 20 | 02 | 00 00", "truncated header")]
    [InlineData("42 00 20 | 02 | 00 00 00 04 | 00 00 00 08", "claims 4 bytes, only 4 remain")]
    [InlineData("43 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00", "is not a KMIP tag")]
    [InlineData("42 00 20 | 02 | FF FF FF FF | 00 00 00 08 00 00 00 00", "claims 4294967295 bytes")]
    [InlineData("42 00 20 | 0B | 00 00 00 04 | 00 00 00 08 00 00 00 00", "unknown type 0x0B")]
    [InlineData("42 00 20 | 02 | 00 00 00 08 | 00 00 00 08 00 00 00 00", "must be 4 bytes, is 8")]
    [InlineData("42 00 20 | 06 | 00 00 00 08 | 00 00 00 00 00 00 00 02", "must be 0 or 1")]
    [InlineData("42 00 20 | 07 | 00 00 00 0B | 48 65 6C 6C 6F 20 57 6F 72 6C 64 FF FF FF FF FF", "non-zero padding")]
    [InlineData("42 00 20 | 07 | 00 00 00 02 | C3 28 00 00 00 00 00 00", "not valid UTF-8")]
    [InlineData("42 00 20 | 04 | 00 00 00 04 | 00 00 00 01 00 00 00 00", "not a positive multiple of 8")]
    [InlineData("42 00 20 | 01 | 00 00 00 18 | 42 00 04 | 05 | 00 00 00 04 | 00 00 00 FE 00 00 00 00", "claims 24 bytes, only 16 remain")]
    [InlineData("42 00 20 | 01 | 00 00 00 04 | 42 00 04 | 05 | 00 00 00 00", "truncated header")]
    [InlineData("42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00 | 42", "unexpected bytes")]
    [InlineData("42 00 20 | 09 | 00 00 00 08 | 7F FF FF FF FF FF FF FF", "out of range")]
    public void Malformed_ttlv_is_a_clear_KmipException(string bytes, string reason)
    {
        var e = Assert.Throws<KmipException>(() => TtlvReader.Decode(Hex.Bytes(bytes)));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_not_recursed_into()
    {
        var item = TtlvItem.Integer(0x420020, 1);
        for (var i = 0; i <= TtlvReader.MaxDepth; i++)
        {
            item = TtlvItem.Structure(0x420020, item);
        }
        var e = Assert.Throws<KmipException>(() => TtlvReader.Decode(TtlvWriter.Encode(item)));
        Assert.Contains("nested deeper", e.Message);
    }

    [Fact]
    public void A_header_claiming_more_than_the_limit_is_refused_before_reading_the_value()
    {
        var e = Assert.Throws<KmipException>(() => TtlvReader.TotalLength(Hex.Bytes("42 00 7B | 01 | 7F FF FF F8"), maxBytes: 1 << 20));
        Assert.Contains("more than the limit", e.Message);
        Assert.Equal(16, TtlvReader.TotalLength(Hex.Bytes(Integer8), maxBytes: 16));
    }

    [Fact]
    public void Random_bytes_never_escape_as_anything_but_KmipException() =>
        Gen.Byte.Array[0, 64].Sample(bytes => DecodesOrExplains(bytes), iter: 20_000);

    [Fact]
    public void Every_corruption_of_a_real_response_decodes_or_explains()
    {
        var get = Hex.Bytes("42007B01000000B042007A0100000048420069010000002042006A0200000004000000010000000042006B020000000400000001000000004200920900000008000000004F9A54E642000D0200000004000000010000000042000F010000005842005C0500000004000000080000000042007F0500000004000000000000000042007C0100000030420094070000002434396131636138382D366265612D346662322D623435302D37653538383032633330333800000000");
        Gen.Select(Gen.Int[0, get.Length - 1], Gen.Byte, Gen.Int[0, get.Length]).Sample((index, value, cut) =>
        {
            var corrupt = (byte[])get.Clone();
            corrupt[index] = value;
            return DecodesOrExplains(corrupt) && DecodesOrExplains(get.AsSpan(0, cut).ToArray());
        }, iter: 20_000);
    }

    [Fact]
    public void Every_item_round_trips_through_the_encoder()
    {
        var leaf = Gen.OneOf(
            Gen.Int.Select(v => TtlvItem.Integer(0x420020, v)),
            Gen.Long.Select(v => TtlvItem.LongInteger(0x420020, v)),
            Gen.UInt.Select(v => TtlvItem.Enumeration(0x420020, v)),
            Gen.Bool.Select(v => TtlvItem.Boolean(0x420020, v)),
            Gen.String.Select(v => TtlvItem.Text(0x420020, v)),
            Gen.Byte.Array[0, 40].Select(v => TtlvItem.Bytes(0x420020, v)),
            Gen.Long[0, 253402300799].Select(v => TtlvItem.DateTime(0x420020, DateTimeOffset.FromUnixTimeSeconds(v))),
            Gen.UInt.Select(v => TtlvItem.Interval(0x420020, v)),
            Gen.Long.Select(v => TtlvItem.BigInteger(0x420020, v)));
        leaf.Array[0, 6].Select(children => TtlvItem.Structure(0x420021, children)).Sample(item =>
        {
            var encoded = TtlvWriter.Encode(item);
            return encoded.Length % 8 == 0 && Hex.Of(TtlvWriter.Encode(TtlvReader.Decode(encoded))) == Hex.Of(encoded);
        });
    }

    private static bool DecodesOrExplains(byte[] bytes)
    {
        try
        {
            TtlvReader.Decode(bytes);
            return true;
        }
        catch (KmipException e)
        {
            return e.Message.StartsWith("TTLV:", StringComparison.Ordinal);
        }
    }
}
