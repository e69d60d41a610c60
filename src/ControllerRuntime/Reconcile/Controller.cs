using System.Diagnostics;
using HipaaMongo.ControllerRuntime.Queue;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ControllerRuntime.Reconcile;

/// <summary>
/// Controller runs <see cref="Workers"/> workers over one work queue, each calling the reconciler for one key
/// at a time. A reconcile that throws is logged, counted and retried with per-key backoff; it never stops the
/// host. A <see cref="TerminalReconcileException"/> is logged and counted but not retried.
/// </summary>
public sealed class Controller<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    private readonly IReconciler<TEntity> _reconciler;
    private readonly ILogger _logger;
    private readonly ControllerMetrics _metrics;

    /// <summary>Creates a controller named <paramref name="name"/> (the metrics' controller label).</summary>
    public Controller(string name, IReconciler<TEntity> reconciler, WorkQueue<ObjectKey> queue, ILogger logger,
        ControllerMetrics metrics, int workers = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Name = name;
        Queue = queue;
        Workers = workers;
        _reconciler = reconciler;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The controller's name.</summary>
    public string Name { get; }

    /// <summary>The queue event handlers add keys to.</summary>
    public WorkQueue<ObjectKey> Queue { get; }

    /// <summary>How many keys are reconciled concurrently (never the same key twice).</summary>
    public int Workers { get; }

    /// <summary>Runs the workers until <paramref name="cancellationToken"/> is cancelled or the queue shuts down.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _metrics.MaxConcurrent(Name, Workers);
        _logger.LogInformation("Starting controller {Controller} with {Workers} workers", Name, Workers);
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkerAsync(cancellationToken), CancellationToken.None));
        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal stop.
        }
        _logger.LogInformation("Stopped controller {Controller}", Name);
    }

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var (key, ok) = await Queue.GetAsync(cancellationToken);
            if (!ok)
            {
                return;
            }
            try
            {
                await ProcessAsync(key, cancellationToken);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    /// <summary>One pass for one key: the only place that decides forget / requeue-after / backoff.</summary>
    internal async Task ProcessAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var reconcileId = Guid.NewGuid().ToString("N")[..12];
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["Controller"] = Name,
            ["Namespace"] = key.Namespace,
            ["Name"] = key.Name,
            ["ReconcileId"] = reconcileId,
        });
        _metrics.ActiveWorkers(Name, 1);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await _reconciler.ReconcileAsync(key, cancellationToken);
            Queue.Forget(key);
            _logger.LogDebug("Reconciled {Key} in {Elapsed}", key, Stopwatch.GetElapsedTime(started));
            if (result.After is { } after)
            {
                _metrics.Reconciled(Name, "requeue_after", Stopwatch.GetElapsedTime(started));
                Queue.AddAfter(key, after);
            }
            else
            {
                _metrics.Reconciled(Name, "success", Stopwatch.GetElapsedTime(started));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the key is picked up again by whoever leads next.
        }
        catch (TerminalReconcileException ex)
        {
            // Queue first, metrics after: an observer that sees the count also sees the queue decision.
            Queue.Forget(key);
            _metrics.Reconciled(Name, "error", Stopwatch.GetElapsedTime(started));
            _metrics.Failed(Name, terminal: true);
            _logger.LogError(ex, "Reconcile of {Key} failed terminally; not retrying until the object changes", key);
        }
        catch (HttpOperationException ex) when (StaleRead.Matches(ex))
        {
            // The cluster moved on while the pass ran (an object deleted or changed under it): expected, not a bug,
            // so no stack trace; the retry reads the new state.
            Queue.AddRateLimited(key);
            _metrics.Reconciled(Name, "error", Stopwatch.GetElapsedTime(started));
            _metrics.Failed(Name, terminal: false);
            _logger.LogInformation("Reconcile of {Key} met a change made meanwhile ({Reason}); retrying (attempt {Attempt})",
                key, StaleRead.Describe(ex), Queue.NumRequeues(key));
        }
        catch (TransientReconcileException ex)
        {
            // Expected and already in status: one line per retry (code, kind, name in the message), no stack trace.
            Queue.AddRateLimited(key);
            _metrics.Reconciled(Name, "error", Stopwatch.GetElapsedTime(started));
            _metrics.Failed(Name, terminal: false);
            _logger.LogWarning("Reconcile of {Key} will be retried (attempt {Attempt}): {Reason}", key, Queue.NumRequeues(key), ex.Message);
        }
        catch (Exception ex)
        {
            Queue.AddRateLimited(key);
            _metrics.Reconciled(Name, "error", Stopwatch.GetElapsedTime(started));
            _metrics.Failed(Name, terminal: false);
            _logger.LogError(ex, "Reconcile of {Key} failed (attempt {Attempt}); retrying with backoff", key, Queue.NumRequeues(key));
        }
        finally
        {
            _metrics.ActiveWorkers(Name, -1);
        }
    }
}
