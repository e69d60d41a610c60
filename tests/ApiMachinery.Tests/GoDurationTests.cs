using HipaaMongo.ApiMachinery.Time;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>Cases from Go's time.ParseDuration documentation and src/time/time_test.go (parseDurationTests).</summary>
public class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("5s", 5)]
    [InlineData("30s", 30)]
    [InlineData("1478s", 1478)]
    [InlineData("-5s", -5)]
    [InlineData("+5s", 5)]
    [InlineData("5.0s", 5)]
    [InlineData("5.6s", 5.6)]
    [InlineData(".5s", 0.5)]
    [InlineData("1.s", 1)]
    [InlineData("10ms", 0.01)]
    [InlineData("1h", 3600)]
    [InlineData("2160h", 2160 * 3600)]
    [InlineData("1h15m30.918273645s", 4530.9182736)]
    [InlineData("3h30m", 12600)]
    [InlineData("0.5m", 30)]
    [InlineData("100us", 0.0001)]
    [InlineData("100µs", 0.0001)]
    public void ParsesGoDurations(string text, double seconds) =>
        Assert.Equal(seconds, GoDuration.Parse(text).TotalSeconds, 6);

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("3", "time: missing unit in duration \"3\"")]
    [InlineData("-", "time: invalid duration \"-\"")]
    [InlineData("s", "time: invalid duration \"s\"")]
    [InlineData(".", "time: invalid duration \".\"")]
    [InlineData("-.", "time: invalid duration \"-.\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("+.s", "time: invalid duration \"+.s\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData("1h-5m", "time: unknown unit \"h-\" in duration \"1h-5m\"")]
    [InlineData("9999999999999999999h", "time: invalid duration \"9999999999999999999h\"")]
    public void RejectsWhatGoRejects(string text, string message)
    {
        Assert.False(GoDuration.TryParse(text, out _));
        var e = Assert.Throws<FormatException>(() => GoDuration.Parse(text));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(90, "1m30s")]
    [InlineData(2160 * 3600, "2160h0m0s")]
    [InlineData(3661, "1h1m1s")]
    [InlineData(-5, "-5s")]
    public void FormatsLikeDurationString(long seconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromSeconds(seconds)));
}
