using HipaaMongo.ControllerRuntime.Queue;
using Prometheus;

namespace HipaaMongo.ControllerRuntime.Reconcile;

/// <summary>
/// ControllerMetrics registers controller-runtime's metric names (so kubebuilder dashboards work unchanged)
/// in one prometheus-net registry. One instance serves every controller; series are labelled by controller.
/// </summary>
public sealed class ControllerMetrics
{
    private readonly Counter _reconcileTotal;
    private readonly Counter _reconcileErrors;
    private readonly Counter _terminalErrors;
    private readonly Histogram _reconcileTime;
    private readonly Gauge _activeWorkers;
    private readonly Gauge _maxConcurrent;
    private readonly Gauge _depth;
    private readonly Counter _adds;
    private readonly Counter _retries;
    private readonly Histogram _queueDuration;

    /// <summary>Registers the metrics in <paramref name="registry"/> (prometheus-net's default when null).</summary>
    public ControllerMetrics(CollectorRegistry? registry = null)
    {
        var factory = Metrics.WithCustomRegistry(registry ?? Metrics.DefaultRegistry);
        string[] controller = ["controller"];
        string[] queue = ["name", "controller"];
        _reconcileTotal = factory.CreateCounter("controller_runtime_reconcile_total",
            "Total number of reconciliations per controller", new CounterConfiguration { LabelNames = ["controller", "result"] });
        _reconcileErrors = factory.CreateCounter("controller_runtime_reconcile_errors_total",
            "Total number of reconciliation errors per controller", new CounterConfiguration { LabelNames = controller });
        _terminalErrors = factory.CreateCounter("controller_runtime_terminal_reconcile_errors_total",
            "Total number of terminal reconciliation errors per controller", new CounterConfiguration { LabelNames = controller });
        _reconcileTime = factory.CreateHistogram("controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller", new HistogramConfiguration
            {
                LabelNames = controller,
                // controller-runtime's buckets run from 5 ms to 60 s.
                Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
                    1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60],
            });
        _activeWorkers = factory.CreateGauge("controller_runtime_active_workers",
            "Number of currently used workers per controller", new GaugeConfiguration { LabelNames = controller });
        _maxConcurrent = factory.CreateGauge("controller_runtime_max_concurrent_reconciles",
            "Maximum number of concurrent reconciles per controller", new GaugeConfiguration { LabelNames = controller });
        _depth = factory.CreateGauge("workqueue_depth", "Current depth of workqueue", new GaugeConfiguration { LabelNames = queue });
        _adds = factory.CreateCounter("workqueue_adds_total", "Total number of adds handled by workqueue",
            new CounterConfiguration { LabelNames = queue });
        _retries = factory.CreateCounter("workqueue_retries_total", "Total number of retries handled by workqueue",
            new CounterConfiguration { LabelNames = queue });
        _queueDuration = factory.CreateHistogram("workqueue_queue_duration_seconds",
            "How long in seconds an item stays in workqueue before being requested",
            new HistogramConfiguration { LabelNames = queue, Buckets = Histogram.ExponentialBuckets(1e-8, 10, 11) });
    }

    /// <summary>Counts one finished pass; <paramref name="result"/> is success, error or requeue_after.</summary>
    public void Reconciled(string controller, string result, TimeSpan took)
    {
        _reconcileTotal.WithLabels(controller, result).Inc();
        _reconcileTime.WithLabels(controller).Observe(took.TotalSeconds);
    }

    /// <summary>Counts a failed pass (retried, or terminal when <paramref name="terminal"/>).</summary>
    public void Failed(string controller, bool terminal)
    {
        _reconcileErrors.WithLabels(controller).Inc();
        if (terminal)
        {
            _terminalErrors.WithLabels(controller).Inc();
        }
    }

    /// <summary>Adjusts the busy-worker gauge.</summary>
    public void ActiveWorkers(string controller, int delta) => _activeWorkers.WithLabels(controller).Inc(delta);

    /// <summary>Records the configured worker count.</summary>
    public void MaxConcurrent(string controller, int workers) => _maxConcurrent.WithLabels(controller).Set(workers);

    /// <summary>The work queue measurements of one controller's queue.</summary>
    public IWorkQueueMetrics ForQueue(string controller) => new QueueMetrics(this, controller);

    private sealed class QueueMetrics(ControllerMetrics m, string controller) : IWorkQueueMetrics
    {
        public void Added() => m._adds.WithLabels(controller, controller).Inc();

        public void Depth(int depth) => m._depth.WithLabels(controller, controller).Set(depth);

        public void Retried() => m._retries.WithLabels(controller, controller).Inc();

        public void QueueDuration(TimeSpan waited) =>
            m._queueDuration.WithLabels(controller, controller).Observe(Math.Max(0, waited.TotalSeconds));
    }
}
