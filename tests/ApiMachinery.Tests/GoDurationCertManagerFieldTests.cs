using HipaaMongo.ApiMachinery.Time;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>The durations cert-manager's Certificate fields carry (duration, renewBefore), read by the one parser.</summary>
public sealed class GoDurationCertManagerFieldTests
{
    [Theory]
    [InlineData("2160h", 2160 * 3600)]
    [InlineData("720h0m0s", 720 * 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("90s", 90)]
    [InlineData("1.5h", 5400)]
    [InlineData("0", 0)]
    public void Parses_Go_durations(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), GoDuration.Parse(text));

    [Theory]
    [InlineData("90d")]
    [InlineData("h")]
    [InlineData("12")]
    public void Rejects_what_Go_rejects(string text) => Assert.Throws<FormatException>(() => GoDuration.Parse(text));

    [Fact]
    public void Formats_as_Go_does() => Assert.Equal("2160h0m0s", GoDuration.Format(TimeSpan.FromDays(90)));
}
