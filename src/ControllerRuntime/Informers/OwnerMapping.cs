using HipaaMongo.ControllerRuntime.Queue;
using k8s;
using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Informers;

/// <summary>
/// OwnerMapping maps an owned object's events to its controlling owner, as controller-runtime's
/// EnqueueRequestForOwner with OnlyControllerOwner: only the ownerReference with controller=true counts, and
/// only when its apiVersion's group and its kind match the owner type (the version may differ).
/// </summary>
public static class OwnerMapping
{
    /// <summary>The owner's key, or null when <paramref name="obj"/> has no matching controller reference.</summary>
    public static ObjectKey? ControllerOwner(IMetadata<V1ObjectMeta> obj, string ownerGroup, string ownerKind)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var meta = obj.Metadata;
        var reference = meta?.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
        if (reference is null || reference.Kind != ownerKind || GroupOf(reference.ApiVersion) != ownerGroup)
        {
            return null;
        }
        // Owner references never cross namespaces: a namespaced owner lives in the owned object's namespace.
        var ns = string.IsNullOrEmpty(meta!.NamespaceProperty) ? null : meta.NamespaceProperty;
        return new ObjectKey(ns, reference.Name);
    }

    /// <summary>A handler that enqueues the controlling owner of every added, updated or deleted object.</summary>
    public static ResourceEventHandler<T> EnqueueOwner<T>(WorkQueue<ObjectKey> queue, string ownerGroup, string ownerKind)
        where T : IMetadata<V1ObjectMeta>
    {
        void Enqueue(T obj)
        {
            if (ControllerOwner(obj, ownerGroup, ownerKind) is { } key)
            {
                queue.Add(key);
            }
        }
        return new ResourceEventHandler<T>
        {
            OnAdd = Enqueue,
            // An update that moves the owner reference must wake both the old and the new owner.
            OnUpdate = (old, current) =>
            {
                Enqueue(old);
                Enqueue(current);
            },
            OnDelete = Enqueue,
        };
    }

    /// <summary>A handler that enqueues the object's own key on every change (the For() kind).</summary>
    public static ResourceEventHandler<T> EnqueueSelf<T>(WorkQueue<ObjectKey> queue)
        where T : IMetadata<V1ObjectMeta> => new()
        {
            OnAdd = o => queue.Add(ObjectKey.From(o)),
            OnUpdate = (_, o) => queue.Add(ObjectKey.From(o)),
            OnDelete = o => queue.Add(ObjectKey.From(o)),
        };

    /// <summary>The group of an apiVersion: "apps/v1" is "apps", "v1" is "" (core).</summary>
    public static string GroupOf(string? apiVersion)
    {
        if (string.IsNullOrEmpty(apiVersion))
        {
            return "";
        }
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }
}
