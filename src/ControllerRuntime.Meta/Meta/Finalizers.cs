using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Meta;

/// <summary>
/// Finalizers edits metadata.finalizers. Add and Remove return whether the list changed, so the caller writes
/// (a patch of metadata.finalizers) only when needed.
/// </summary>
public static class Finalizers
{
    /// <summary>True when <paramref name="meta"/> carries <paramref name="finalizer"/>.</summary>
    public static bool Has(V1ObjectMeta meta, string finalizer)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return meta.Finalizers?.Contains(finalizer) == true;
    }

    /// <summary>Adds <paramref name="finalizer"/> if missing; true when added.</summary>
    public static bool Add(V1ObjectMeta meta, string finalizer)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentException.ThrowIfNullOrEmpty(finalizer);
        if (Has(meta, finalizer))
        {
            return false;
        }
        meta.Finalizers ??= [];
        meta.Finalizers.Add(finalizer);
        return true;
    }

    /// <summary>Removes every occurrence of <paramref name="finalizer"/>; true when one was removed.</summary>
    public static bool Remove(V1ObjectMeta meta, string finalizer)
    {
        ArgumentNullException.ThrowIfNull(meta);
        if (!Has(meta, finalizer))
        {
            return false;
        }
        meta.Finalizers = [.. meta.Finalizers!.Where(f => f != finalizer)];
        return true;
    }

    /// <summary>True when the object is being deleted (deletionTimestamp set): time for the finalizer branch.</summary>
    public static bool IsBeingDeleted(V1ObjectMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return meta.DeletionTimestamp is not null;
    }
}
