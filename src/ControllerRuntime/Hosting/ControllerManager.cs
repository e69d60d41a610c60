using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Leader;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HipaaMongo.ControllerRuntime.Hosting;

/// <summary>
/// ControllerManager is controller-runtime's manager as a hosted service: it wires every controller to its
/// informers, runs the informers on every replica (so caches are warm and /readyz is honest on standbys), waits
/// for their first sync, then runs the controllers, only while leading when leader election is on.
/// </summary>
public sealed class ControllerManager(IServiceProvider services, IOptions<ControllerRuntimeOptions> options,
    ILogger<ControllerManager> logger) : BackgroundService
{
    // Resolved once: a /readyz or sync check during shutdown must not reach a disposed service provider.
    private readonly Lazy<IInformer[]> _informers = new(() => [.. services.GetServices<IInformer>().Distinct()]);

    /// <summary>True when every informer has stored its first list.</summary>
    public bool CachesSynced => _informers.Value.All(i => i.HasSynced);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolving the runnables wires their event handlers, which must happen before informers deliver events.
        var runnables = services.GetServices<IRunnable>().ToArray();
        var informers = _informers.Value;
        logger.LogInformation("Starting {Informers} informers and {Controllers} controllers", informers.Length, runnables.Length);
        var informerTasks = informers.Select(i => Task.Run(() => i.RunAsync(stoppingToken), CancellationToken.None)).ToArray();
        while (!stoppingToken.IsCancellationRequested && !CachesSynced)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        if (!stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Caches synced");
            await RunControllersAsync(runnables, stoppingToken);
        }
        await Task.WhenAll(informerTasks);
    }

    private async Task RunControllersAsync(IRunnable[] runnables, CancellationToken stoppingToken)
    {
        Task RunAll(CancellationToken ct) => Task.WhenAll(runnables.Select(r => r.RunAsync(ct)));
        var election = options.Value.LeaderElection;
        if (!election.Enabled)
        {
            await RunAll(stoppingToken);
            return;
        }
        var gate = new LeaderGate(services.GetRequiredService<IKubernetes>(), election, logger);
        await gate.RunAsync(RunAll, stoppingToken);
    }
}
