using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;

namespace HipaaMongo.Operator.Hosting;

/// <summary>One pass the controller's worker ran: its order of start, and how it ended.</summary>
public sealed record PassRecord(ObjectKey Key, long Sequence, ReconcileResult? Result, Exception? Error);

/// <summary>
/// ReconcilePasses numbers every pass the controller's workers start and signals the ones that end, so a caller
/// (the tests, a diagnostic) can wake a key through the work queue (<see cref="Trigger"/>) and wait for a pass
/// that started after its request, instead of calling the reconciler itself beside the running workers: two
/// passes on one key at once is what the runtime promises never happens. It keeps only the last pass per key.
/// </summary>
public sealed class ReconcilePasses
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, PassRecord> _last = [];
    private readonly List<(ObjectKey Key, long After, TaskCompletionSource<PassRecord> Done)> _waiters = [];
    private long _started;

    /// <summary>Adds keys to the controller's work queue.</summary>
    public KeyTrigger Trigger { get; } = new();

    /// <summary>How many passes have started so far (any key).</summary>
    public long Started => Interlocked.Read(ref _started);

    internal long Begin() => Interlocked.Increment(ref _started);

    internal void End(PassRecord pass)
    {
        List<TaskCompletionSource<PassRecord>> done = [];
        lock (_gate)
        {
            if (!_last.TryGetValue(pass.Key, out var previous) || previous.Sequence < pass.Sequence)
            {
                _last[pass.Key] = pass;
            }
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Key == pass.Key && pass.Sequence > _waiters[i].After)
                {
                    done.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        foreach (var waiter in done)
        {
            waiter.TrySetResult(pass);
        }
    }

    /// <summary>Completes with the first pass of <paramref name="key"/> to end that started after pass number <paramref name="after"/>.</summary>
    public Task<PassRecord> EndedAfterAsync(ObjectKey key, long after, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<PassRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_last.TryGetValue(key, out var last) && last.Sequence > after)
            {
                return Task.FromResult(last);
            }
            _waiters.Add((key, after, done));
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Wakes <paramref name="key"/> through the work queue and waits for a pass that started after this call.</summary>
    public Task<PassRecord> RunAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var mark = Started;
        Trigger.Enqueue(key);
        return EndedAfterAsync(key, mark, cancellationToken);
    }
}
