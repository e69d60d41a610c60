namespace HipaaMongo.ControllerRuntime.Queue;

/// <summary>
/// MaxOfRateLimiter is client-go's TypedMaxOfRateLimiter: every limiter records the failure and the longest delay
/// wins; Forget reaches all of them; NumRequeues is the largest count.
/// </summary>
public sealed class MaxOfRateLimiter<TKey>(params IRateLimiter<TKey>[] limiters) : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly IRateLimiter<TKey>[] _limiters = limiters.Length > 0 ? limiters : throw new ArgumentException("at least one limiter");

    /// <inheritdoc />
    public TimeSpan When(TKey key)
    {
        var longest = TimeSpan.Zero;
        foreach (var limiter in _limiters)
        {
            var delay = limiter.When(key);
            if (delay > longest)
            {
                longest = delay;
            }
        }
        return longest;
    }

    /// <inheritdoc />
    public void Forget(TKey key)
    {
        foreach (var limiter in _limiters)
        {
            limiter.Forget(key);
        }
    }

    /// <inheritdoc />
    public int NumRequeues(TKey key) => _limiters.Max(l => l.NumRequeues(key));
}

/// <summary>The rate limiters controllers use.</summary>
public static class RateLimiters
{
    /// <summary>
    /// client-go's DefaultTypedControllerRateLimiter: per key 5 ms doubling to 1000 s, and overall 10 retries a
    /// second after a burst of 100, whichever waits longer. No jitter, as in client-go.
    /// </summary>
    public static IRateLimiter<TKey> DefaultController<TKey>(TimeProvider? time = null)
        where TKey : notnull =>
        new MaxOfRateLimiter<TKey>(new ExponentialBackoffRateLimiter<TKey> { JitterFraction = 0 }, new BucketRateLimiter<TKey>(10, 100, time));
}
