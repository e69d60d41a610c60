using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Queue;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HipaaMongo.ControllerRuntime.Hosting;

/// <summary>ControllerRuntimeBuilder registers informers and controllers (controller-runtime's builder, KubeOps' AddController).</summary>
public sealed class ControllerRuntimeBuilder
{
    private readonly HashSet<Type> _informers = [];

    internal ControllerRuntimeBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Registers one shared informer for <typeparamref name="T"/> (once per type), watching the configured namespace.
    /// <paramref name="resource"/> overrides the type's [KubernetesEntity] attribute; <paramref name="notServedHint"/> is
    /// logged while the API server does not serve the resource (see <see cref="Informer{T}.NotServedHint"/>).
    /// </summary>
    public ControllerRuntimeBuilder AddInformer<T>(ResourceType? resource = null, string? notServedHint = null)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        if (!_informers.Add(typeof(T)))
        {
            return this;
        }
        var type = resource ?? ResourceType.For<T>();
        Services.AddSingleton(sp => new Informer<T>(Sources<T>(sp, type),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger($"Informer.{type.Kind}"))
        {
            NotServedHint = notServedHint,
        });
        Services.AddSingleton<IInformer>(sp => sp.GetRequiredService<Informer<T>>());
        return this;
    }

    /// <summary>
    /// Registers a controller named <paramref name="name"/> for <typeparamref name="TEntity"/>: its informer, a work
    /// queue, <paramref name="workers"/> workers calling <typeparamref name="TReconciler"/>, and the extra watches.
    /// </summary>
    public ControllerRuntimeBuilder AddController<TEntity, TReconciler>(string name, int workers = 1,
        Action<ControllerWatches>? watches = null, ResourceType? resource = null)
        where TEntity : IKubernetesObject<V1ObjectMeta>
        where TReconciler : class, IReconciler<TEntity>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var type = resource ?? ResourceType.For<TEntity>();
        AddInformer<TEntity>(type);
        var wiring = new ControllerWatches(this);
        watches?.Invoke(wiring);
        Services.TryAddSingleton<TReconciler>();
        Services.AddSingleton<IRunnable>(sp =>
        {
            var metrics = sp.GetRequiredService<ControllerMetrics>();
            var queue = new WorkQueue<ObjectKey>(metrics: metrics.ForQueue(name));
            sp.GetRequiredService<Informer<TEntity>>().AddHandler(OwnerMapping.EnqueueSelf<TEntity>(queue));
            wiring.Wire(sp, queue, type);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger($"Controller.{name}");
            return new ControllerRunnable<TEntity>(new Controller<TEntity>(name, sp.GetRequiredService<TReconciler>(), queue,
                logger, metrics, workers));
        });
        return this;
    }

    // One list+watch per watched namespace, or a single one across all namespaces.
    private static IListWatcher<T>[] Sources<T>(IServiceProvider sp, ResourceType type)
    {
        var client = sp.GetRequiredService<IKubernetes>();
        var namespaces = sp.GetRequiredService<IOptions<ControllerRuntimeOptions>>().Value.WatchNamespaces;
        return namespaces.Count == 0
            ? [new KubernetesListWatcher<T>(client, type)]
            : [.. namespaces.Distinct().Select(ns => new KubernetesListWatcher<T>(client, type, ns))];
    }

    private sealed class ControllerRunnable<TEntity>(Controller<TEntity> controller) : IRunnable
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            await controller.RunAsync(cancellationToken);
        }
    }
}
