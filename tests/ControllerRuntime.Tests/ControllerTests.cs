using System.Net;
using System.Text;
using HipaaMongo.ControllerRuntime.Queue;
using HipaaMongo.ControllerRuntime.Reconcile;
using HipaaMongo.ControllerRuntime.Tests.Support;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace HipaaMongo.ControllerRuntime.Tests;

public class ControllerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private sealed class ScriptedReconciler(params Func<ReconcileResult>[] steps) : IReconciler<V1ConfigMap>
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            var i = Interlocked.Increment(ref _calls) - 1;
            return Task.FromResult(steps[Math.Min(i, steps.Length - 1)]());
        }
    }

    private static Task Eventually(Func<bool> condition, string what) => HipaaMongo.TestSupport.Eventually.TrueAsync(condition, what, Timeout);

    private static async Task<string> Scrape(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static (Controller<V1ConfigMap>, ManualTimeProvider, CollectorRegistry) Make(IReconciler<V1ConfigMap> reconciler, ILogger? logger = null)
    {
        var clock = new ManualTimeProvider();
        var registry = Metrics.NewCustomRegistry();
        var metrics = new ControllerMetrics(registry);
        var queue = new WorkQueue<ObjectKey>(new ExponentialBackoffRateLimiter<ObjectKey>(random: () => 0), clock, metrics.ForQueue("widgets"));
        return (new Controller<V1ConfigMap>("widgets", reconciler, queue, logger ?? NullLogger.Instance, metrics, workers: 2), clock, registry);
    }

    [Fact]
    public async Task A_throwing_reconcile_is_retried_after_backoff_and_the_controller_keeps_running()
    {
        var reconciler = new ScriptedReconciler(() => throw new InvalidOperationException("API down"), () => ReconcileResult.Done);
        var (controller, clock, registry) = Make(reconciler);
        using var cts = new CancellationTokenSource(Timeout);
        var running = controller.RunAsync(cts.Token);

        controller.Queue.Add(new ObjectKey("prod", "a"));
        await Eventually(() => reconciler.Calls == 1 && clock.ActiveTimers == 1, "first failure scheduled a retry");
        clock.Advance(TimeSpan.FromMilliseconds(5)); // client-go's first backoff step
        await Eventually(() => reconciler.Calls == 2, "retry ran");
        await Eventually(() => controller.Queue.NumRequeues(new ObjectKey("prod", "a")) == 0, "success forgot the backoff");
        Assert.False(running.IsCompleted);

        var text = await Scrape(registry);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"widgets\",result=\"error\"} 1", text);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"widgets\",result=\"success\"} 1", text);
        Assert.Contains("controller_runtime_reconcile_errors_total{controller=\"widgets\"} 1", text);
        Assert.Contains("workqueue_retries_total{name=\"widgets\",controller=\"widgets\"} 1", text);
        Assert.Contains("workqueue_adds_total{name=\"widgets\",controller=\"widgets\"} 2", text);
        Assert.Contains("controller_runtime_reconcile_time_seconds_count{controller=\"widgets\"} 2", text);

        controller.Queue.ShutDown();
        await running.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    private static HttpOperationException ApiError(HttpStatusCode code, string reason, string message) => new($"Operation returned an invalid status code '{code}'")
    {
        Response = new HttpResponseMessageWrapper(new HttpResponseMessage(code),
            $$"""{"kind":"Status","status":"Failure","reason":"{{reason}}","message":"{{message}}","code":{{(int)code}}}"""),
    };

    [Fact]
    public async Task A_404_for_an_object_deleted_meanwhile_is_one_info_line_and_a_retry_with_backoff()
    {
        var logger = new ListLogger();
        var reconciler = new ScriptedReconciler(
            () => throw ApiError(HttpStatusCode.NotFound, "NotFound", "configmaps \\\"phi-db-config\\\" not found"),
            () => throw new InvalidOperationException("a real bug"),
            () => ReconcileResult.Done);
        var (controller, clock, _) = Make(reconciler, logger);
        using var cts = new CancellationTokenSource(Timeout);
        var running = controller.RunAsync(cts.Token);

        controller.Queue.Add(new ObjectKey("prod", "a"));
        // The worker logs after it has queued the retry: wait for the line, not only for the timer.
        await Eventually(() => reconciler.Calls == 1 && clock.ActiveTimers == 1 && logger.Lines.Count(l => l.Message.Contains("404", StringComparison.Ordinal)) == 1,
            "the 404 scheduled a retry and was logged");
        var stale = Assert.Single(logger.Lines, l => l.Message.Contains("prod/a", StringComparison.Ordinal) && l.Message.Contains("404", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, stale.Level);
        Assert.Null(stale.Exception);
        Assert.Contains("404 NotFound: configmaps \"phi-db-config\" not found", stale.Message);

        clock.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually(() => reconciler.Calls == 2 && clock.ActiveTimers == 1 && logger.Lines.Any(l => l.Exception is InvalidOperationException),
            "the bug scheduled a retry after 10 ms and was logged");
        var bug = Assert.Single(logger.Lines, l => l.Exception is InvalidOperationException);
        Assert.Equal(LogLevel.Error, bug.Level);
        clock.Advance(TimeSpan.FromMilliseconds(10));
        await Eventually(() => reconciler.Calls == 3, "the third pass ran");

        controller.Queue.ShutDown();
        await running.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RequeueAfter_runs_again_only_after_the_delay()
    {
        var reconciler = new ScriptedReconciler(() => ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), () => ReconcileResult.Done);
        var (controller, clock, registry) = Make(reconciler);
        using var cts = new CancellationTokenSource(Timeout);
        var running = controller.RunAsync(cts.Token);

        controller.Queue.Add(new ObjectKey("prod", "a"));
        await Eventually(() => reconciler.Calls == 1 && clock.ActiveTimers == 1, "requeue scheduled");
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(1, reconciler.Calls);
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually(() => reconciler.Calls == 2, "requeued pass ran");
        Assert.Contains("result=\"requeue_after\"} 1", await Scrape(registry));

        await cts.CancelAsync();
        await running.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_terminal_error_is_counted_but_not_retried()
    {
        var reconciler = new ScriptedReconciler(() => throw new TerminalReconcileException("spec invalid"));
        var (controller, clock, registry) = Make(reconciler);
        using var cts = new CancellationTokenSource(Timeout);
        var running = controller.RunAsync(cts.Token);

        controller.Queue.Add(new ObjectKey("prod", "a"));
        await Eventually(() => reconciler.Calls == 1, "first pass");
        // The counter moves in the same catch block that would schedule a retry, so after it nothing is pending.
        string text;
        while (!(text = await Scrape(registry)).Contains("controller_runtime_terminal_reconcile_errors_total{controller=\"widgets\"} 1"))
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.Equal(0, clock.ActiveTimers);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, controller.Queue.Count);
        Assert.Equal(1, reconciler.Calls);

        await cts.CancelAsync();
        await running.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_transient_error_is_retried_with_one_line_and_no_stack_trace()
    {
        var reconciler = new ScriptedReconciler(() => throw new TransientReconcileException("StatefulSet db: 503 unavailable"), () => ReconcileResult.Done);
        var logger = new ListLogger();
        var (controller, clock, _) = Make(reconciler, logger);
        using var cts = new CancellationTokenSource(Timeout);
        var running = controller.RunAsync(cts.Token);

        controller.Queue.Add(new ObjectKey("prod", "a"));
        await Eventually(() => reconciler.Calls == 1 && clock.ActiveTimers == 1, "the failure scheduled a retry");
        clock.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually(() => reconciler.Calls == 2, "retried after backoff");
        var line = Assert.Single(logger.Lines, l => l.Message.Contains("StatefulSet db: 503 unavailable", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Null(line.Exception);

        await cts.CancelAsync();
        await running.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }
}
