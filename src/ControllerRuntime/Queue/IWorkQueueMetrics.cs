namespace HipaaMongo.ControllerRuntime.Queue;

/// <summary>IWorkQueueMetrics receives the work queue's measurements (client-go's workqueue metrics provider).</summary>
public interface IWorkQueueMetrics
{
    /// <summary>A key entered the queue (workqueue_adds_total).</summary>
    void Added();

    /// <summary>The number of keys waiting to be processed changed (workqueue_depth).</summary>
    void Depth(int depth);

    /// <summary>A key was scheduled for a rate-limited retry (workqueue_retries_total).</summary>
    void Retried();

    /// <summary>A key waited this long between entering the queue and a worker taking it.</summary>
    void QueueDuration(TimeSpan waited);
}

/// <summary>NullWorkQueueMetrics measures nothing.</summary>
public sealed class NullWorkQueueMetrics : IWorkQueueMetrics
{
    /// <summary>The shared instance.</summary>
    public static readonly NullWorkQueueMetrics Instance = new();

    /// <inheritdoc />
    public void Added() { }

    /// <inheritdoc />
    public void Depth(int depth) { }

    /// <inheritdoc />
    public void Retried() { }

    /// <inheritdoc />
    public void QueueDuration(TimeSpan waited) { }
}
