namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>Canonical forms from kube-api-emulation.md §14 and resource.Quantity's documentation and tests.</summary>
public class QuantityTests
{
    [Theory]
    [InlineData("1000m", "1")]
    [InlineData("0.5", "500m")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("0.5Gi", "512Mi")]
    [InlineData("1Gi", "1Gi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("500m", "500m")]
    [InlineData("1000", "1k")]
    [InlineData("1500", "1500")]
    [InlineData("1000k", "1M")]
    [InlineData("0.1", "100m")]
    [InlineData("1.0", "1")]
    [InlineData("0", "0")]
    [InlineData("0Gi", "0")]
    [InlineData("512Ki", "512Ki")]
    [InlineData("0.5Ki", "512")]
    [InlineData("1e3", "1e3")]
    [InlineData("-1.5", "-1500m")]
    [InlineData("+2", "2")]
    [InlineData("1n", "1n")]
    [InlineData("0.1n", "1n")]
    [InlineData("1234567Ki", "1234567Ki")]
    public void Canonicalizes(string input, string canonical) => Assert.Equal(canonical, Quantity.Canonicalize(input));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1Gb")]
    [InlineData("1 Gi")]
    [InlineData(".")]
    [InlineData("--1")]
    public void Rejects_bad_input_with_the_apiserver_text(string input)
    {
        Assert.Equal(Quantity.FormatError, Assert.Throws<FormatException>(() => Quantity.Canonicalize(input)).Message);
        Assert.False(Quantity.TryCanonicalize(input, out var unchanged));
        Assert.Equal(input, unchanged);
    }

    [Fact]
    public void Compares_by_value()
    {
        Assert.True(Quantity.Compare("1Gi", "1G") > 0);
        Assert.Equal(0, Quantity.Compare("1000m", "1"));
        Assert.True(Quantity.Compare("500m", "1") < 0);
    }

    [Theory]
    [InlineData("1Gi", "1073741824000000000")]
    [InlineData("500m", "500000000")]
    [InlineData("50Gi", "53687091200000000000")]
    public void Reads_the_value_in_nano_units(string text, string nanos)
    {
        Assert.True(Quantity.TryParse(text, out var value));
        Assert.Equal(System.Numerics.BigInteger.Parse(nanos, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1Gb")]
    [InlineData("ten")]
    public void Refuses_what_is_not_a_quantity(string? text) => Assert.False(Quantity.TryParse(text, out _));
}
