using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Events;

/// <summary>IEventSink writes core/v1 Events (client-go's EventSink): create a new one, or bump a repeat.</summary>
public interface IEventSink
{
    /// <summary>Creates <paramref name="ev"/> in its namespace.</summary>
    Task CreateAsync(Corev1Event ev, CancellationToken cancellationToken);

    /// <summary>
    /// Records a repeat of an existing Event: sets count and lastTimestamp. Returns false when the Event no longer
    /// exists (expired by the API server's event TTL), so the recorder creates a fresh one.
    /// </summary>
    Task<bool> PatchCountAsync(string @namespace, string name, int count, DateTime lastTimestamp, CancellationToken cancellationToken);
}
