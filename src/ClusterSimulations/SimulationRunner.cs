using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Queue;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ClusterSimulations;

/// <summary>
/// The informers and controllers of one simulation, run the way ControllerManager runs an operator's:
/// informers first, controllers once every informer has synced. Queues and informer backoff run on real time
/// (they are about this process); only the simulated world uses the virtual clock.
/// </summary>
public sealed class SimulationRunner(IKubernetes client, ILogger log, ControllerMetrics metrics) : IDisposable
{
    private readonly List<IInformer> _informers = [];
    private readonly List<Func<CancellationToken, Task>> _controllers = [];
    private readonly List<IDisposable> _queues = [];

    /// <summary>An informer over every namespace for <typeparamref name="T"/>.</summary>
    public Informer<T> Informer<T>()
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var informer = new Informer<T>(new KubernetesListWatcher<T>(client, ResourceType.For<T>()), log);
        _informers.Add(informer);
        return informer;
    }

    /// <summary>A controller fed by <paramref name="informer"/>'s own objects; returns its queue for extra handlers.</summary>
    public WorkQueue<ObjectKey> Controller<T>(string name, Informer<T> informer, IReconciler<T> reconciler)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(informer);
        var queue = new WorkQueue<ObjectKey>(metrics: metrics.ForQueue(name));
        _queues.Add(queue);
        informer.AddHandler(OwnerMapping.EnqueueSelf<T>(queue));
        var controller = new Controller<T>(name, reconciler, queue, log, metrics);
        _controllers.Add(controller.RunAsync);
        return queue;
    }

    /// <summary>A handler calling <paramref name="changed"/> on add, update (new object) and delete.</summary>
    public static ResourceEventHandler<T> On<T>(Action<T> changed) =>
        new() { OnAdd = changed, OnUpdate = (_, n) => changed(n), OnDelete = changed };

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informers = _informers.Select(i => Task.Run(() => i.RunAsync(cancellationToken), CancellationToken.None)).ToArray();
        try
        {
            while (!_informers.All(i => i.HasSynced))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
            await Task.WhenAll(_controllers.Select(c => c(cancellationToken)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal stop.
        }
        await Task.WhenAll(informers).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        foreach (var q in _queues)
        {
            q.Dispose();
        }
    }
}
