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

public class ControllerRateLimiterTests
{
    [Fact]
    public void The_bucket_lets_a_burst_of_100_through_then_ten_a_second()
    {
        var clock = new Support.ManualTimeProvider();
        var bucket = new BucketRateLimiter<string>(10, 100, clock);
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(TimeSpan.Zero, bucket.When("k" + i)));
        Assert.Equal(100, bucket.When("x").TotalMilliseconds, 6);
        Assert.Equal(200, bucket.When("y").TotalMilliseconds, 6);
        clock.Advance(TimeSpan.FromSeconds(1)); // ten tokens back, two of them already promised
        Assert.Equal(TimeSpan.Zero, bucket.When("z"));
    }

    [Fact]
    public void The_default_limiter_backs_one_key_off_exponentially_without_jitter()
    {
        var limiter = RateLimiters.DefaultController<string>(new Support.ManualTimeProvider());
        var delays = Enumerable.Range(0, 20).Select(_ => limiter.When("k")).ToList();
        Assert.Equal([5, 10, 20, 40, 80], delays.Take(5).Select(d => d.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromMilliseconds(5 * Math.Pow(2, 17)), delays[17]);
        Assert.Equal(TimeSpan.FromSeconds(1000), delays[18]);
        Assert.Equal(TimeSpan.FromSeconds(1000), delays[19]);
        Assert.Equal(20, limiter.NumRequeues("k"));
    }

    [Fact]
    public void A_key_that_keeps_failing_is_tried_at_most_17_times_in_8_minutes()
    {
        // Each retry waits for the limiter's answer; 5 ms doubling adds up to 8 minutes after 17 failures.
        var clock = new Support.ManualTimeProvider();
        var limiter = RateLimiters.DefaultController<string>(clock);
        var attempts = 0;
        var elapsed = TimeSpan.Zero;
        while (elapsed <= TimeSpan.FromMinutes(8))
        {
            attempts++;
            var wait = limiter.When("phi-db");
            clock.Advance(wait);
            elapsed += wait;
        }
        Assert.Equal(17, attempts);
    }

    [Fact]
    public void Many_keys_failing_together_are_held_to_ten_retries_a_second_after_the_burst()
    {
        var limiter = RateLimiters.DefaultController<string>(new Support.ManualTimeProvider());
        var delays = Enumerable.Range(0, 150).Select(i => limiter.When("key-" + i)).ToList();
        Assert.All(delays.Take(100), d => Assert.Equal(TimeSpan.FromMilliseconds(5), d)); // each key's first failure
        Assert.Equal(TimeSpan.FromMilliseconds(100), delays[100]);
        Assert.Equal(TimeSpan.FromSeconds(5), delays[149]);
    }

    [Fact]
    public void Forget_resets_the_key_but_not_the_shared_bucket()
    {
        var limiter = RateLimiters.DefaultController<string>(new Support.ManualTimeProvider());
        for (var i = 0; i < 3; i++) limiter.When("a");
        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
    }

    [Fact]
    public void A_work_queue_without_a_limiter_uses_the_default_controller_limiter()
    {
        var clock = new Support.ManualTimeProvider();
        using var queue = new WorkQueue<string>(time: clock);
        for (var i = 0; i < 18; i++) queue.AddRateLimited("k");
        Assert.Equal(18, queue.NumRequeues("k"));
    }
}
