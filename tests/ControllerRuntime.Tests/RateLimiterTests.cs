using HipaaMongo.ControllerRuntime.Queue;

namespace HipaaMongo.ControllerRuntime.Tests;

public class RateLimiterTests
{
    [Fact]
    public void Backoff_doubles_from_5ms_per_failure_without_jitter()
    {
        var limiter = new ExponentialBackoffRateLimiter<string>(random: () => 0);
        var delays = Enumerable.Range(0, 5).Select(_ => limiter.When("k").TotalMilliseconds).ToArray();
        Assert.Equal([5, 10, 20, 40, 80], delays);
    }

    [Fact]
    public void Backoff_is_capped_at_1000_seconds_even_with_jitter_and_huge_failure_counts()
    {
        var limiter = new ExponentialBackoffRateLimiter<string>(random: () => 0.999);
        var last = TimeSpan.Zero;
        for (var i = 0; i < 200; i++)
        {
            last = limiter.When("k");
            Assert.True(last <= TimeSpan.FromSeconds(1000), $"failure {i}: {last}");
        }
        Assert.Equal(TimeSpan.FromSeconds(1000), last);
    }

    [Fact]
    public void Jitter_adds_at_most_ten_percent()
    {
        var limiter = new ExponentialBackoffRateLimiter<string>(random: () => 0.5);
        Assert.Equal(5.25, limiter.When("k").TotalMilliseconds, 6);
    }

    [Fact]
    public void Keys_back_off_independently_and_Forget_restarts_at_base()
    {
        var limiter = new ExponentialBackoffRateLimiter<string>(random: () => 0);
        limiter.When("a");
        limiter.When("a");
        Assert.Equal(5, limiter.When("b").TotalMilliseconds);
        Assert.Equal(20, limiter.When("a").TotalMilliseconds);

        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(5, limiter.When("a").TotalMilliseconds);
    }

    [Fact]
    public void Invalid_bounds_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ExponentialBackoffRateLimiter<string>(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
    }
}
