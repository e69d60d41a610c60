using HipaaMongo.ControllerRuntime.Queue;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ControllerRuntime.Informers;

/// <summary>
/// Informer keeps <see cref="Cache"/> in step with the API server for one resource (client-go's reflector +
/// shared informer): list, then watch from the list's resourceVersion with bookmarks; when the stream ends,
/// watch again from the last version seen; on 410 Gone re-list; on any other error retry after an exponential
/// backoff with jitter. Handlers are told of every change after the cache holds it.
/// Several sources (one per watched namespace) can feed one cache; each keeps its own resourceVersion.
/// </summary>
public sealed class Informer<T> : IInformer
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly IReadOnlyList<IListWatcher<T>> _sources;
    private readonly string?[] _resourceVersions;
    private readonly HashSet<int> _listed = [];
    private readonly ILogger _logger;
    private readonly List<ResourceEventHandler<T>> _handlers = [];
    private readonly ExponentialBackoffRateLimiter<string> _backoff;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _listCount;

    /// <summary>Creates an informer over <paramref name="source"/>.</summary>
    public Informer(IListWatcher<T> source, ILogger logger, TimeProvider? time = null,
        ExponentialBackoffRateLimiter<string>? backoff = null)
        : this([source], logger, time, backoff)
    {
    }

    /// <summary>Creates an informer over several sources (e.g. one per namespace) sharing one cache.</summary>
    public Informer(IReadOnlyList<IListWatcher<T>> sources, ILogger logger, TimeProvider? time = null,
        ExponentialBackoffRateLimiter<string>? backoff = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            throw new ArgumentException("an informer needs at least one source", nameof(sources));
        }
        _sources = sources;
        _resourceVersions = new string?[sources.Count];
        _logger = logger;
        _time = time ?? TimeProvider.System;
        // client-go's reflector backs off from 800 ms to 30 s with full jitter.
        _backoff = backoff ?? new ExponentialBackoffRateLimiter<string>(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(30))
        {
            JitterFraction = 1.0,
        };
    }

    /// <summary>The local copy.</summary>
    public ObjectCache<T> Cache { get; } = new();

    /// <summary>True once every source's first list has been stored.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the (first) source will resume from.</summary>
    public string? LastResourceVersion => Volatile.Read(ref _resourceVersions[0]);

    /// <summary>How many lists were made (one per source plus re-lists); for diagnostics and tests.</summary>
    public int ListCount => Volatile.Read(ref _listCount);

    /// <summary>
    /// What to tell the operator's user when the API server does not serve this resource (e.g. "install X"); logged
    /// with every failed list until the resource appears. The cache stays unsynced meanwhile, as in controller-runtime.
    /// </summary>
    public string? NotServedHint { get; init; }

    /// <summary>Registers a handler; add handlers before <see cref="RunAsync"/>.</summary>
    public void AddHandler(ResourceEventHandler<T> handler)
    {
        lock (_handlers)
        {
            _handlers.Add(handler);
        }
    }

    /// <summary>Completes when the first list is in the cache (or throws when cancelled).</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Runs until cancelled. Errors never escape: they are logged and retried with backoff.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_sources.Select((_, i) => RunSourceAsync(i, cancellationToken)));

    private async Task RunSourceAsync(int source, CancellationToken cancellationToken)
    {
        var backoffKey = "watch-" + source;
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAndReplaceAsync(source, cancellationToken);
                    needList = false;
                }
                await WatchOnceAsync(source, cancellationToken);
                _backoff.Forget(backoffKey);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ResourceExpiredException ex)
            {
                // The server compacted past our version: only a fresh list can restore a consistent view.
                _logger.LogInformation("Watch of {Type} expired ({Reason}); re-listing", typeof(T).Name, ex.Message);
                needList = true;
            }
            catch (ResourceNotServedException ex)
            {
                // Not transient in the usual sense: nothing works until someone installs the resource, so say so
                // plainly (no stack trace) and keep retrying, so the informer starts by itself once it is installed.
                var delay = _backoff.When(backoffKey);
                _logger.LogError("{Problem}; {Hint}; retrying in {Delay}", ex.Message,
                    NotServedHint ?? "install the CustomResourceDefinition that serves it", delay);
                needList = true;
                await DelayAsync(delay, cancellationToken);
            }
            catch (Exception ex)
            {
                var delay = _backoff.When(backoffKey);
                _logger.LogWarning(ex, "List/watch of {Type} failed; retrying in {Delay}", typeof(T).Name, delay);
                await DelayAsync(delay, cancellationToken);
            }
        }
    }

    private async Task ListAndReplaceAsync(int source, CancellationToken cancellationToken)
    {
        var scope = _sources[source].Namespace;
        var list = await _sources[source].ListAsync(cancellationToken);
        var seen = new HashSet<ObjectKey>();
        foreach (var item in list.Items)
        {
            seen.Add(ObjectKey.From(item));
            Store(item);
        }
        // Only this source's namespace is replaced: the other sources' objects are not in this list.
        foreach (var key in Cache.Keys().Where(k => (scope is null || k.Namespace == scope) && !seen.Contains(k)))
        {
            Forget(key);
        }
        Volatile.Write(ref _resourceVersions[source], list.ResourceVersion);
        // Counted once the cache holds the whole list, so whoever waits on ListCount never sees half a replace.
        Interlocked.Increment(ref _listCount);
        lock (_listed)
        {
            if (_listed.Add(source) && _listed.Count == _sources.Count)
            {
                _synced.TrySetResult();
            }
        }
    }

    private async Task WatchOnceAsync(int source, CancellationToken cancellationToken)
    {
        var from = Volatile.Read(ref _resourceVersions[source]) ?? throw new InvalidOperationException("watch before list");
        var started = _time.GetUtcNow();
        var events = 0;
        await foreach (var (type, obj) in _sources[source].WatchAsync(from, cancellationToken))
        {
            events++;
            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    Store(obj);
                    break;
                case WatchEventType.Deleted:
                    Forget(ObjectKey.From(obj));
                    break;
                case WatchEventType.Bookmark:
                    // A bookmark carries only a newer resourceVersion, so a re-watch skips history we do not need.
                    break;
                default:
                    continue;
            }
            if (obj.Metadata?.ResourceVersion is { Length: > 0 } version)
            {
                Volatile.Write(ref _resourceVersions[source], version);
            }
        }
        // Like client-go's reflector: a stream that ends at once with nothing in it is a fault (a proxy cutting
        // connections, say); treating it as an error puts the backoff between attempts instead of a hot loop.
        if (events == 0 && _time.GetUtcNow() - started < TimeSpan.FromSeconds(1))
        {
            throw new IOException("very short watch: the stream closed at once without events");
        }
    }

    private void Store(T obj)
    {
        var old = Cache.Upsert(obj);
        foreach (var h in Handlers())
        {
            if (old is null)
            {
                Notify(() => h.OnAdd?.Invoke(obj));
            }
            else
            {
                Notify(() => h.OnUpdate?.Invoke(old, obj));
            }
        }
    }

    private void Forget(ObjectKey key)
    {
        var old = Cache.Remove(key);
        if (old is null)
        {
            return;
        }
        foreach (var h in Handlers())
        {
            Notify(() => h.OnDelete?.Invoke(old));
        }
    }

    private ResourceEventHandler<T>[] Handlers()
    {
        lock (_handlers)
        {
            return [.. _handlers];
        }
    }

    private void Notify(Action action)
    {
        // A faulty handler must not kill the informer (and with it the cache every controller reads).
        try
        {
            action();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Event handler for {Type} threw", typeof(T).Name);
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Cancellation ends RunAsync through the loop condition.
        }
    }
}
