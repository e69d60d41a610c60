using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Hosting;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Queue;
using HipaaMongo.ControllerRuntime.Reconcile;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Benchmarks.Drift;

/// <summary>
/// Turns the operator's wiring into the peer design with the runtime's public API only: the controller that
/// AddHipaaMongoOperator registered (an <see cref="IRunnable"/>, with its Owns/Watches handlers) is removed and
/// replaced by one whose queue is fed by the HipaaMongo informer alone, calling the real reconciler through
/// <see cref="PeriodicReconciler"/>. Hosting has no switch for this (see docs/benchmarks.md).
/// </summary>
public static class PeriodicController
{
    public const string Name = "hipaamongo-periodic";

    public static void Replace(IServiceCollection services, int workers)
    {
        // AddHipaaMongoOperator registers two controllers, HipaaMongo's and HipaaMongoUser's. The drift fleets have no
        // HipaaMongoUser, so the user controller has nothing to do in either design: both are removed, and the
        // periodic HipaaMongo controller is the one runnable left.
        var runnables = services.Where(d => d.ServiceType == typeof(IRunnable)).ToList();
        if (runnables.Count != 2)
        {
            throw new InvalidOperationException($"expected AddHipaaMongoOperator to register two controllers, found {runnables.Count}: the periodic variant needs updating");
        }

        foreach (var runnable in runnables)
        {
            services.Remove(runnable);
        }
        services.AddSingleton<IRunnable>(sp =>
        {
            var metrics = sp.GetRequiredService<ControllerMetrics>();
            var queue = new WorkQueue<ObjectKey>(metrics: metrics.ForQueue(Name));
            sp.GetRequiredService<Informer<HipaaMongoResource>>().AddHandler(OwnerMapping.EnqueueSelf<HipaaMongoResource>(queue));
            var reconciler = new PeriodicReconciler(sp.GetRequiredService<HipaaMongoReconciler>(), DriftProfile.ResyncPeriod);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Controller." + Name);
            return new Runnable(new Controller<HipaaMongoResource>(Name, reconciler, queue, logger, metrics, workers));
        });
    }

    sealed class Runnable(Controller<HipaaMongoResource> controller) : IRunnable
    {
        public Task RunAsync(CancellationToken cancellationToken) => controller.RunAsync(cancellationToken);
    }
}

/// <summary>The real reconciler, requeued after at most the resync period (Percona: every 5 s, whatever happened).</summary>
public sealed class PeriodicReconciler(IReconciler<HipaaMongoResource> inner, TimeSpan period) : IReconciler<HipaaMongoResource>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var result = await inner.ReconcileAsync(key, cancellationToken);
        return result.After is { } after && after < period ? result : ReconcileResult.RequeueAfter(period);
    }
}
