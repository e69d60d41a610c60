using System.Globalization;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Events;

/// <summary>KubernetesEventSink writes Events through KubernetesClient (needs create and patch on core/v1 events).</summary>
public sealed class KubernetesEventSink(IKubernetes client) : IEventSink
{
    /// <inheritdoc />
    public async Task CreateAsync(Corev1Event ev, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ev);
        await client.CoreV1.CreateNamespacedEventAsync(ev, ev.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> PatchCountAsync(string @namespace, string name, int count, DateTime lastTimestamp,
        CancellationToken cancellationToken)
    {
        // A merge patch of two scalar fields; client-go sends the same fields as a strategic merge patch,
        // which for scalars means the same thing.
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["count"] = count,
            ["lastTimestamp"] = lastTimestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        });
        try
        {
            await client.CoreV1.PatchNamespacedEventAsync(new V1Patch(body, V1Patch.PatchType.MergePatch), name, @namespace,
                cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
