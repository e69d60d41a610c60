namespace HipaaMongo.ControllerRuntime.Queue;

/// <summary>
/// ExponentialBackoffRateLimiter is client-go's ItemExponentialFailureRateLimiter (the per-item half of
/// DefaultControllerRateLimiter: base 5 ms, cap 1000 s): the n-th consecutive failure waits base * 2^(n-1),
/// capped. A little jitter (up to <see cref="JitterFraction"/> of the delay, still capped) spreads retries of
/// many keys that failed together, so they do not hammer the API server in lock-step.
/// </summary>
public sealed class ExponentialBackoffRateLimiter<TKey> : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Lock _lock = new();
    private readonly Func<double> _random;

    /// <summary>Creates a limiter; <paramref name="random"/> returns a value in [0, 1) and is injectable for tests.</summary>
    public ExponentialBackoffRateLimiter(TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, Func<double>? random = null)
    {
        BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(5);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(1000);
        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            throw new ArgumentException("backoff needs 0 < base <= max");
        }
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The delay after the first failure.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>The longest delay ever returned.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>At most this fraction of the delay is added as jitter.</summary>
    public double JitterFraction { get; init; } = 0.1;

    /// <inheritdoc />
    public TimeSpan When(TKey key)
    {
        int exponent;
        lock (_lock)
        {
            exponent = _failures.GetValueOrDefault(key);
            _failures[key] = exponent + 1;
        }
        // 2^exponent overflows a double only far beyond the cap, so clamp the exponent before computing.
        var raw = BaseDelay.TotalSeconds * Math.Pow(2, Math.Min(exponent, 62));
        var capped = Math.Min(raw, MaxDelay.TotalSeconds);
        var jittered = capped * (1 + (JitterFraction * _random()));
        return TimeSpan.FromSeconds(Math.Min(jittered, MaxDelay.TotalSeconds));
    }

    /// <inheritdoc />
    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <inheritdoc />
    public int NumRequeues(TKey key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }
}
