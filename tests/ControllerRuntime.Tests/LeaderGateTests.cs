using System.Text.Json.Nodes;
using HipaaMongo.ControllerRuntime.Leader;
using HipaaMongo.ControllerRuntime.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace HipaaMongo.ControllerRuntime.Tests;

public class LeaderGateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static LeaderElectionOptions Options(string identity) => new()
    {
        Enabled = true,
        Namespace = "ops",
        LeaseName = "op-leader",
        Identity = identity,
        // Short but ordered like client-go's defaults; the test only polls, it never sleeps for these.
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1.5),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    private static Task Eventually(Func<bool> condition, string what) => HipaaMongo.TestSupport.Eventually.TrueAsync(condition, what, Timeout);

    [Fact]
    public async Task Only_one_replica_leads_and_the_other_takes_over_when_the_leader_stops()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.Client();
        var active = 0;
        var maxActive = 0;
        var leaders = new List<string>();

        Func<CancellationToken, Task> Work(string who) => async ct =>
        {
            lock (leaders)
            {
                leaders.Add(who);
                maxActive = Math.Max(maxActive, ++active);
            }
            try
            {
                await Task.Delay(System.Threading.Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            lock (leaders)
            {
                active--;
            }
        };

        var gateA = new LeaderGate(client, Options("a"), NullLogger.Instance, Metrics.NewCustomRegistry());
        var gateB = new LeaderGate(client, Options("b"), NullLogger.Instance, Metrics.NewCustomRegistry());
        using var ctsA = new CancellationTokenSource(Timeout);
        using var ctsB = new CancellationTokenSource(Timeout);
        var runA = gateA.RunAsync(Work("a"), ctsA.Token);
        await Eventually(() => gateA.IsLeader, "a leads");
        var runB = gateB.RunAsync(Work("b"), ctsB.Token);
        Assert.Equal("a", server.Leases.Get("op-leader")!["spec"]!["holderIdentity"]!.GetValue<string>());

        await ctsA.CancelAsync();
        await runA.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        await Eventually(() => gateB.IsLeader, "b takes over after a's lease expires");
        // IsLeader turns true just before the gate starts the work: wait for the work itself, not the flag.
        await Eventually(() =>
        {
            lock (leaders)
            {
                return leaders.Contains("b");
            }
        }, "b's work started");

        lock (leaders)
        {
            Assert.Equal(["a", "b"], leaders);
            Assert.Equal(1, maxActive);
        }
        await ctsB.CancelAsync();
        await runB.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Losing_the_lease_cancels_the_work()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.Client();
        var gate = new LeaderGate(client, Options("a"), NullLogger.Instance, Metrics.NewCustomRegistry());
        var started = new TaskCompletionSource();
        var stopped = new TaskCompletionSource();
        using var cts = new CancellationTokenSource(Timeout);
        var run = gate.RunAsync(async ct =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(System.Threading.Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                stopped.TrySetResult();
            }
        }, cts.Token);
        await started.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);

        // Another actor takes the Lease for an hour: "a" can no longer renew and must stop acting.
        var lease = server.Leases.Get("op-leader")!;
        lease["spec"]!["holderIdentity"] = "intruder";
        lease["spec"]!["leaseDurationSeconds"] = 3600;
        lease["spec"]!["renewTime"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
        server.Leases.Put("op-leader", lease);

        await stopped.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.False(gate.IsLeader);
        await cts.CancelAsync();
        await run.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        // Stopping after it was deposed, the gate leaves the new holder's Lease alone.
        Assert.Equal("intruder", server.Leases.Get("op-leader")!["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_leader_that_stops_releases_the_lease_so_the_next_one_leads_without_waiting_it_out()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.Client();
        // A lease far longer than the test's bound: b can lead in time only if a hands the Lease back.
        LeaderElectionOptions Long(string identity)
        {
            var options = Options(identity);
            options.LeaseDuration = TimeSpan.FromMinutes(2);
            options.RenewDeadline = TimeSpan.FromMinutes(1);
            return options;
        }
        static Func<CancellationToken, Task> Idle() => ct => Task.Delay(System.Threading.Timeout.Infinite, ct)
            .ContinueWith(_ => { }, TaskScheduler.Default);
        var gateA = new LeaderGate(client, Long("a"), NullLogger.Instance, Metrics.NewCustomRegistry());
        var gateB = new LeaderGate(client, Long("b"), NullLogger.Instance, Metrics.NewCustomRegistry());
        using var ctsA = new CancellationTokenSource(Timeout);
        using var ctsB = new CancellationTokenSource(Timeout);
        var runA = gateA.RunAsync(Idle(), ctsA.Token);
        await Eventually(() => gateA.IsLeader, "a leads");
        var runB = gateB.RunAsync(Idle(), ctsB.Token);

        await ctsA.CancelAsync();
        await runA.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var released = server.Leases.Get("op-leader")!["spec"]!;
        Assert.True(released["holderIdentity"]?.GetValue<string>() is "b" or "", $"holder after a stopped: {released["holderIdentity"]}");
        await Eventually(() => gateB.IsLeader, "b leads well within the 2 min lease duration");
        Assert.Equal("b", server.Leases.Get("op-leader")!["spec"]!["holderIdentity"]!.GetValue<string>());
        await ctsB.CancelAsync();
        await runB.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Inconsistent_timings_are_refused()
    {
        var options = Options("a");
        options.RenewDeadline = TimeSpan.FromSeconds(5);
        Assert.Throws<ArgumentException>(options.Validate);
    }
}
