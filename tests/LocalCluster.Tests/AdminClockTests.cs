using HipaaMongo.LocalCluster.Hosting;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>GET /admin/clock and POST /admin/clock/advance?by=&lt;Go duration&gt; through the optional clock hook.</summary>
public sealed class AdminClockTests
{
    sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; private set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;

        public void Advance(TimeSpan by) => Now += by;
    }

    static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reads_and_advances_the_configured_clock()
    {
        var clock = new ManualClock(Start);
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { Clock = new ClockHook(clock, clock.Advance) });
        using var http = RawHttp.Create(server);

        var (code, now) = await RawHttp.SendAsync(http, HttpMethod.Get, "/admin/clock");
        Assert.Equal((200, "2026-01-01T00:00:00Z"), (code, (string?)now!["now"]));

        var (advanced, reply) = await RawHttp.SendAsync(http, HttpMethod.Post, "/admin/clock/advance?by=2160h");
        Assert.Equal(200, advanced);
        Assert.Equal(Start.AddDays(90), clock.Now);
        Assert.Equal("2026-04-01T00:00:00Z", (string?)reply!["now"]);
        Assert.Equal("2160h0m0s", (string?)reply["advancedBy"]);

        await RawHttp.SendAsync(http, HttpMethod.Post, "/admin/clock/advance?by=1h30m");
        Assert.Equal(Start.AddDays(90).AddMinutes(90), clock.Now);
    }

    [Theory]
    [InlineData("?by=1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData("?by=90", "time: missing unit in duration \"90\"")]
    [InlineData("?by=-1h", "is negative")]
    [InlineData("", "query parameter \"by\" is required")]
    public async Task Bad_durations_are_400_and_leave_the_clock_alone(string query, string message)
    {
        var clock = new ManualClock(Start);
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { Clock = new ClockHook(clock, clock.Advance) });
        using var http = RawHttp.Create(server);
        var (code, status) = await RawHttp.SendAsync(http, HttpMethod.Post, "/admin/clock/advance" + query);
        Assert.Equal(400, code);
        Assert.Equal("BadRequest", (string?)status!["reason"]);
        Assert.Contains(message, (string?)status["message"], StringComparison.Ordinal);
        Assert.Equal(Start, clock.Now);
    }

    [Fact]
    public async Task Without_a_clock_both_endpoints_say_so()
    {
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions());
        using var http = RawHttp.Create(server);
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/admin/clock"), (HttpMethod.Post, "/admin/clock/advance?by=1h") })
        {
            var (code, status) = await RawHttp.SendAsync(http, method, path);
            Assert.Equal(400, code);
            Assert.Contains("no clock is configured", (string?)status!["message"], StringComparison.Ordinal);
        }
    }
}
