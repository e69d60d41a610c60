namespace HipaaMongo.ControllerRuntime.Informers;

/// <summary>
/// ResourceEventHandler receives an informer's notifications after its cache was updated (client-go's
/// ResourceEventHandlerFuncs). Handlers run on the informer's loop: keep them short (enqueue a key, nothing more).
/// </summary>
public sealed class ResourceEventHandler<T>
{
    /// <summary>An object appeared (from a list or an ADDED event).</summary>
    public Action<T>? OnAdd { get; init; }

    /// <summary>An object changed: old then new.</summary>
    public Action<T, T>? OnUpdate { get; init; }

    /// <summary>An object disappeared (DELETED event, or missing from a re-list); the last state known.</summary>
    public Action<T>? OnDelete { get; init; }
}
