namespace HipaaMongo.ControllerRuntime.Queue;

/// <summary>IRateLimiter decides how long a failed item waits before its next attempt.</summary>
public interface IRateLimiter<in TKey>
{
    /// <summary>Records one more failure of <paramref name="key"/> and returns the delay before it is retried.</summary>
    TimeSpan When(TKey key);

    /// <summary>Clears the failure history of <paramref name="key"/> (after a success).</summary>
    void Forget(TKey key);

    /// <summary>How many times <paramref name="key"/> failed since it was last forgotten.</summary>
    int NumRequeues(TKey key);
}
