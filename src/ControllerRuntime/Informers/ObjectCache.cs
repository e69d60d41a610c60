using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Informers;

/// <summary>
/// ObjectCache is an informer's thread-safe local copy of one resource, keyed by namespace/name.
/// Readers get the objects the informer stored; treat them as read-only (copy before mutating).
/// </summary>
public sealed class ObjectCache<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<ObjectKey, T> _items = new();

    /// <summary>How many objects are cached.</summary>
    public int Count => _items.Count;

    /// <summary>The cached object, or null.</summary>
    public T? Get(ObjectKey key) => _items.TryGetValue(key, out var value) ? value : default;

    /// <summary>Every cached object, optionally in one namespace.</summary>
    public IReadOnlyList<T> List(string? @namespace = null) =>
        [.. _items.Where(p => @namespace is null || p.Key.Namespace == @namespace).Select(p => p.Value)];

    /// <summary>Objects whose labels contain every pair in <paramref name="labels"/> (an equality selector).</summary>
    public IReadOnlyList<T> ListByLabels(IReadOnlyDictionary<string, string> labels, string? @namespace = null) =>
        [.. List(@namespace).Where(o => Matches(o.Metadata?.Labels, labels))];

    /// <summary>Every cached key.</summary>
    public IReadOnlyList<ObjectKey> Keys() => [.. _items.Keys];

    internal T? Upsert(T obj)
    {
        var key = ObjectKey.From(obj);
        T? old = default;
        _items.AddOrUpdate(key, obj, (_, previous) =>
        {
            old = previous;
            return obj;
        });
        return old;
    }

    internal T? Remove(ObjectKey key) => _items.TryRemove(key, out var old) ? old : default;

    private static bool Matches(IDictionary<string, string>? actual, IReadOnlyDictionary<string, string> wanted) =>
        wanted.All(w => actual is not null && actual.TryGetValue(w.Key, out var v) && v == w.Value);
}
