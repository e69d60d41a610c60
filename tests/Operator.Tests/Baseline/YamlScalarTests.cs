using CsCheck;
using HipaaMongo.Operator.Baseline.Yaml;

namespace HipaaMongo.Operator.Tests.Baseline;

public class YamlScalarTests
{
    [Theory]
    [InlineData("off", "\"off\"")]
    [InlineData("5696", "\"5696\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("", "\"\"")]
    [InlineData("requireTLS", "requireTLS")]
    [InlineData("TLS1_0,TLS1_1", "TLS1_0,TLS1_1")]
    [InlineData("/etc/mongodb/tls/ca.crt", "/etc/mongodb/tls/ca.crt")]
    [InlineData("a: b", "'a: b'")]
    [InlineData("it's", "'it''s'")]
    public void Formats_as_documented(string value, string expected) =>
        Assert.Equal(expected, YamlScalar.FormatString(value));

    [Fact]
    public void Any_string_reads_back_as_the_same_string()
    {
        var chars = Gen.Char["abcXYZ019 :#'\"\\{}[],-_./@!&*?|>%`\t\n"];
        var words = Gen.OneOf("off", "on", "yes", "null", "~", "1e3", "0x1F", "12:30", "2024-01-01", "-", "- x", "true");
        Gen.OneOf(chars.Array[0, 12].Select(c => new string(c)), words).Sample(s =>
        {
            var back = YamlJson.Single("k: " + YamlScalar.FormatString(s) + "\n");
            Assert.Equal(s, YamlJson.At(back, "k")?.GetValue<string>());
        }, iter: 5000, threads: 1);
    }
}
