namespace HipaaMongo.ControllerRuntime.Queue;

/// <summary>
/// WorkQueue is client-go's rate-limited delaying work queue.
/// Guarantees:
/// - a key added while it is already queued is queued once (dedup);
/// - a key is handed to at most one worker at a time; a key added while a worker holds it is queued
///   again when that worker calls <see cref="Done"/>, so the change that arrived meanwhile is not lost;
/// - <see cref="AddRateLimited"/> delays a retry by the rate limiter; <see cref="Forget"/> resets it;
/// - <see cref="AddAfter"/> queues a key after a delay measured on the injected <see cref="TimeProvider"/>.
/// Every <see cref="GetAsync"/> must be followed by <see cref="Done"/> for the same key.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, DateTimeOffset> _addedAt = [];
    private readonly Dictionary<TKey, (DateTimeOffset At, ITimer Timer)> _waiting = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly IRateLimiter<TKey> _limiter;
    private readonly IWorkQueueMetrics _metrics;
    private bool _shuttingDown;

    /// <summary>
    /// Creates a queue; all arguments are optional (system clock, client-go's DefaultControllerRateLimiter, no
    /// metrics).
    /// </summary>
    public WorkQueue(IRateLimiter<TKey>? limiter = null, TimeProvider? time = null, IWorkQueueMetrics? metrics = null)
    {
        _time = time ?? TimeProvider.System;
        _limiter = limiter ?? RateLimiters.DefaultController<TKey>(_time);
        _metrics = metrics ?? NullWorkQueueMetrics.Instance;
    }

    /// <summary>How many keys are waiting for a worker (not counting delayed or in-flight ones).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>True once <see cref="ShutDown"/> was called.</summary>
    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> now unless it is already queued.</summary>
    public void Add(TKey key)
    {
        lock (_lock)
        {
            AddLocked(key);
        }
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>; an earlier pending request wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }
            var at = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(key, out var pending))
            {
                if (pending.At <= at)
                {
                    return;
                }
                pending.Timer.Dispose();
            }
            var timer = _time.CreateTimer(_ => Fire(key), null, delay, Timeout.InfiniteTimeSpan);
            _waiting[key] = (at, timer);
        }
    }

    /// <summary>Queues <paramref name="key"/> after the rate limiter's backoff for it (a retry after failure).</summary>
    public void AddRateLimited(TKey key)
    {
        _metrics.Retried();
        AddAfter(key, _limiter.When(key));
    }

    /// <summary>Ends the backoff history of <paramref name="key"/>: call it when processing succeeded.</summary>
    public void Forget(TKey key) => _limiter.Forget(key);

    /// <summary>How many consecutive failures <paramref name="key"/> has had.</summary>
    public int NumRequeues(TKey key) => _limiter.NumRequeues(key);

    /// <summary>
    /// Waits for a key and marks it as being processed. Returns default and false after <see cref="ShutDown"/>.
    /// </summary>
    public async Task<(TKey? Key, bool Ok)> GetAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken);
        lock (_lock)
        {
            if (_queue.Count == 0)
            {
                // Only a shutdown releases the semaphore without an item; pass the wake-up on to the next waiter.
                _available.Release();
                return (default, false);
            }
            var key = _queue.Dequeue();
            _processing.Add(key);
            _dirty.Remove(key);
            if (_addedAt.Remove(key, out var added))
            {
                _metrics.QueueDuration(_time.GetUtcNow() - added);
            }
            _metrics.Depth(_queue.Count);
            return (key, true);
        }
    }

    /// <summary>Marks <paramref name="key"/> as no longer processed; re-queues it if it was added meanwhile.</summary>
    public void Done(TKey key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key))
            {
                Enqueue(key);
            }
        }
    }

    /// <summary>Stops accepting keys and wakes every waiter; in-flight keys may still call <see cref="Done"/>.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }
            _shuttingDown = true;
            foreach (var (_, pending) in _waiting)
            {
                pending.Timer.Dispose();
            }
            _waiting.Clear();
            _available.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
    }

    private void Fire(TKey key)
    {
        lock (_lock)
        {
            if (_waiting.Remove(key, out var pending))
            {
                pending.Timer.Dispose();
            }
            AddLocked(key);
        }
    }

    private void AddLocked(TKey key)
    {
        if (_shuttingDown || !_dirty.Add(key))
        {
            return;
        }
        _metrics.Added();
        _addedAt[key] = _time.GetUtcNow();
        if (!_processing.Contains(key))
        {
            Enqueue(key);
        }
    }

    private void Enqueue(TKey key)
    {
        _queue.Enqueue(key);
        _metrics.Depth(_queue.Count);
        _available.Release();
    }
}
