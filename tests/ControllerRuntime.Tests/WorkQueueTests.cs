using HipaaMongo.ControllerRuntime.Queue;
using HipaaMongo.ControllerRuntime.Tests.Support;

namespace HipaaMongo.ControllerRuntime.Tests;

public class WorkQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static async Task<string> TakeAsync(WorkQueue<string> queue)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (key, ok) = await queue.GetAsync(cts.Token);
        Assert.True(ok);
        return key!;
    }

    [Fact]
    public async Task A_key_added_twice_while_queued_is_handed_out_once()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await TakeAsync(queue));
        Assert.Equal("b", await TakeAsync(queue));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_key_added_while_processed_is_held_back_until_Done_then_requeued_once()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        var key = await TakeAsync(queue);

        queue.Add("a");
        queue.Add("a");
        Assert.Equal(0, queue.Count); // not handed to a second worker while the first holds it

        queue.Done(key);
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", await TakeAsync(queue));
        queue.Done("a");
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Concurrent_workers_never_process_the_same_key_at_once()
    {
        using var queue = new WorkQueue<string>();
        var inFlight = new Dictionary<string, int>();
        var maxPerKey = 0;
        var processed = 0;
        const int Adds = 400;
        using var cts = new CancellationTokenSource(Timeout);

        async Task Worker()
        {
            while (Volatile.Read(ref processed) < Adds && !cts.IsCancellationRequested)
            {
                var (key, ok) = await queue.GetAsync(cts.Token);
                if (!ok)
                {
                    return;
                }
                lock (inFlight)
                {
                    inFlight[key!] = inFlight.GetValueOrDefault(key!) + 1;
                    maxPerKey = Math.Max(maxPerKey, inFlight[key!]);
                }
                await Task.Yield();
                queue.Add(key!); // an event arriving mid-reconcile
                lock (inFlight)
                {
                    inFlight[key!]--;
                }
                Interlocked.Increment(ref processed);
                queue.Done(key!);
            }
        }

        for (var i = 0; i < 8; i++)
        {
            queue.Add($"k{i % 3}");
        }
        var workers = Enumerable.Range(0, 6).Select(_ => Task.Run(Worker)).ToArray();
        while (Volatile.Read(ref processed) < Adds && !cts.IsCancellationRequested)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.True(processed >= Adds, $"only {processed} processed before the timeout");
        Assert.Equal(1, maxPerKey);
    }

    [Fact]
    public async Task AddAfter_queues_only_when_the_fake_clock_reaches_the_delay()
    {
        var clock = new ManualTimeProvider();
        using var queue = new WorkQueue<string>(time: clock);

        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, queue.Count);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", await TakeAsync(queue));
    }

    [Fact]
    public void AddAfter_keeps_the_earliest_pending_time()
    {
        var clock = new ManualTimeProvider();
        using var queue = new WorkQueue<string>(time: clock);

        queue.AddAfter("a", TimeSpan.FromSeconds(60));
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(40));
        Assert.Equal(1, clock.ActiveTimers);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, queue.Count);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, queue.Count); // the later requests were merged, not queued again
    }

    [Fact]
    public void AddRateLimited_waits_the_backoff_and_Forget_resets_it()
    {
        var clock = new ManualTimeProvider();
        var limiter = new ExponentialBackoffRateLimiter<string>(random: () => 0);
        using var queue = new WorkQueue<string>(limiter, clock);

        queue.AddRateLimited("a"); // 5 ms
        clock.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, queue.Count);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal(1, queue.NumRequeues("a"));

        queue.Forget("a");
        Assert.Equal(0, queue.NumRequeues("a"));
    }

    [Fact]
    public async Task ShutDown_wakes_waiting_workers_with_not_ok()
    {
        using var queue = new WorkQueue<string>();
        var waiting = queue.GetAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        queue.ShutDown();
        var (_, ok) = await waiting.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.False(ok);
        queue.Add("late");
        Assert.Equal(0, queue.Count);
    }
}
