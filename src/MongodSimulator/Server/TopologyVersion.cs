using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>hello's topologyVersion and the awaitable-hello wake-up: waiters resume when the counter grows.</summary>
public sealed class TopologyVersion
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ObjectId ProcessId { get; } = ObjectId.GenerateNewId();

    public long Counter { get; private set; }

    public BsonDocument ToBson()
    {
        lock (_gate)
        {
            return new BsonDocument { { "processId", ProcessId }, { "counter", Counter } };
        }
    }

    /// <summary>Called on initiate, reconfig, step-down/up and injected state changes.</summary>
    public void Bump()
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            Counter++;
            old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        old.TrySetResult();
    }

    /// <summary>Waits until the counter passes <paramref name="seen"/> or the timeout ends (the mandatory wait of §2.4).</summary>
    public async Task WaitForChangeAsync(long seen, TimeSpan timeout, CancellationToken ct)
    {
        Task changed;
        lock (_gate)
        {
            if (Counter != seen)
            {
                return;
            }

            changed = _changed.Task;
        }

        try
        {
            await changed.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // A timeout is the normal end of an awaitable hello: answer with the unchanged state.
        }
    }
}
