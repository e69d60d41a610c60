using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Queue;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace HipaaMongo.ControllerRuntime.Hosting;

/// <summary>
/// ControllerWatches says which events wake a controller, as controller-runtime's builder: the primary kind
/// (For) always; <see cref="Owns{TOwned}"/> maps an owned kind's events to the controlling owner.
/// </summary>
public sealed class ControllerWatches
{
    private readonly List<Action<IServiceProvider, WorkQueue<ObjectKey>, ResourceType>> _wirings = [];
    private readonly ControllerRuntimeBuilder _builder;

    internal ControllerWatches(ControllerRuntimeBuilder builder) => _builder = builder;

    /// <summary>
    /// Watches <typeparamref name="TOwned"/> and enqueues its controller owner (of the controller's kind).
    /// <paramref name="notServedHint"/> says what to install when the API server does not serve the kind.
    /// </summary>
    public ControllerWatches Owns<TOwned>(ResourceType? resource = null, string? notServedHint = null)
        where TOwned : IKubernetesObject<V1ObjectMeta>
    {
        _builder.AddInformer<TOwned>(resource, notServedHint);
        _wirings.Add((sp, queue, owner) => sp.GetRequiredService<Informer<TOwned>>()
            .AddHandler(OwnerMapping.EnqueueOwner<TOwned>(queue, owner.Group, owner.Kind)));
        return this;
    }

    /// <summary>Watches <typeparamref name="TOther"/> and maps each of its objects to keys with <paramref name="map"/>.</summary>
    public ControllerWatches Watches<TOther>(Func<TOther, IEnumerable<ObjectKey>> map, ResourceType? resource = null)
        where TOther : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        _builder.AddInformer<TOther>(resource);
        _wirings.Add((sp, queue, _) =>
        {
            void Enqueue(TOther o)
            {
                foreach (var key in map(o))
                {
                    queue.Add(key);
                }
            }
            sp.GetRequiredService<Informer<TOther>>().AddHandler(new ResourceEventHandler<TOther>
            {
                OnAdd = Enqueue,
                OnUpdate = (_, o) => Enqueue(o),
                OnDelete = Enqueue,
            });
        });
        return this;
    }

    /// <summary>
    /// Watches <typeparamref name="TOther"/> with a map built from the services (one that reads another kind's cache,
    /// as controller-runtime's EnqueueRequestsFromMapFunc closes over its client), and wakes on an update only when
    /// <paramref name="updateMatters"/> holds for (old, new), as controller-runtime's update predicates. Adds and
    /// deletes always wake.
    /// </summary>
    public ControllerWatches Watches<TOther>(Func<IServiceProvider, Func<TOther, IEnumerable<ObjectKey>>> mapFor,
        Func<TOther, TOther, bool> updateMatters, ResourceType? resource = null)
        where TOther : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(mapFor);
        ArgumentNullException.ThrowIfNull(updateMatters);
        _builder.AddInformer<TOther>(resource);
        _wirings.Add((sp, queue, _) =>
        {
            var map = mapFor(sp);
            void Enqueue(TOther o)
            {
                foreach (var key in map(o))
                {
                    queue.Add(key);
                }
            }
            sp.GetRequiredService<Informer<TOther>>().AddHandler(new ResourceEventHandler<TOther>
            {
                OnAdd = Enqueue,
                OnUpdate = (old, o) =>
                {
                    if (updateMatters(old, o))
                    {
                        Enqueue(o);
                    }
                },
                OnDelete = Enqueue,
            });
        });
        return this;
    }

    /// <summary>
    /// True when the spec changed: the generation moved (controller-runtime's GenerationChangedPredicate). A status
    /// or metadata write leaves the generation alone, so it wakes nobody.
    /// </summary>
    public static bool GenerationChanged<T>(T old, T current)
        where T : IKubernetesObject<V1ObjectMeta> =>
        old?.Metadata is not null && current?.Metadata is not null && old.Metadata.Generation != current.Metadata.Generation;

    /// <summary>Lets <paramref name="trigger"/> add keys to this controller's queue (controller-runtime's channel source).</summary>
    public ControllerWatches Triggers(KeyTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        _wirings.Add((_, queue, _) => trigger.Attach(queue.Add));
        return this;
    }

    internal void Wire(IServiceProvider services, WorkQueue<ObjectKey> queue, ResourceType owner)
    {
        foreach (var wire in _wirings)
        {
            wire(services, queue, owner);
        }
    }
}
