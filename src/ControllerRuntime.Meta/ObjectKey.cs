using k8s;
using k8s.Models;

namespace HipaaMongo.ControllerRuntime;

/// <summary>
/// ObjectKey names one object: namespace (null for cluster-scoped kinds) and name. It carries no event,
/// so a reconciler always reads the current state instead of reacting to a stale one.
/// </summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    /// <summary>The key of an object's metadata.</summary>
    public static ObjectKey From(IMetadata<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var meta = obj.Metadata ?? throw new ArgumentException("object has no metadata", nameof(obj));
        return new ObjectKey(string.IsNullOrEmpty(meta.NamespaceProperty) ? null : meta.NamespaceProperty, meta.Name ?? "");
    }

    /// <summary>Parses "namespace/name" or "name" (cluster-scoped), the cache key format client-go uses.</summary>
    public static ObjectKey Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new ObjectKey(null, text) : new ObjectKey(text[..slash], text[(slash + 1)..]);
    }

    /// <summary>"namespace/name", or "name" for cluster-scoped objects.</summary>
    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
