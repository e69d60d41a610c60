namespace HipaaMongo.ControllerRuntime.Queue;

/// <summary>
/// BucketRateLimiter is client-go's TypedBucketRateLimiter over golang.org/x/time/rate: a token bucket shared by
/// every key (the overall half of DefaultControllerRateLimiter: 10 per second, burst 100). Each call takes one
/// token, reserving it in the future when the bucket is empty (Limiter.Reserve().Delay()), so however many keys
/// fail, retries leave at most <see cref="PerSecond"/> a second once the burst is spent.
/// </summary>
public sealed class BucketRateLimiter<TKey> : IRateLimiter<TKey>
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private double _tokens;
    private DateTimeOffset _last;

    /// <summary>Creates a full bucket; <paramref name="time"/> is injectable for tests.</summary>
    public BucketRateLimiter(double perSecond = 10, int burst = 100, TimeProvider? time = null)
    {
        if (perSecond <= 0 || burst < 1)
        {
            throw new ArgumentException("a bucket needs a positive rate and a burst of at least 1");
        }
        PerSecond = perSecond;
        Burst = burst;
        _time = time ?? TimeProvider.System;
        _tokens = burst;
        _last = _time.GetUtcNow();
    }

    /// <summary>Tokens added per second.</summary>
    public double PerSecond { get; }

    /// <summary>The bucket's size: this many calls in a row wait nothing.</summary>
    public int Burst { get; }

    /// <inheritdoc />
    public TimeSpan When(TKey key)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now > _last)
            {
                _tokens = Math.Min(Burst, _tokens + ((now - _last).TotalSeconds * PerSecond));
                _last = now;
            }
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / PerSecond);
        }
    }

    /// <inheritdoc />
    public void Forget(TKey key)
    {
        // The bucket is shared; nothing is kept per key.
    }

    /// <inheritdoc />
    public int NumRequeues(TKey key) => 0;
}
