using System.Collections.Concurrent;
using System.Security.Cryptography;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Pods;

/// <summary>
/// Core v1 Events about pods, as the kubelet and scheduler record them (client-go record.EventRecorder): the same
/// reason and message again bumps count and lastTimestamp of one Event instead of writing a new one.
/// </summary>
public sealed class PodEvents(IKubernetes client, TimeProvider clock)
{
    public const string Node = "local-node";
    private readonly ConcurrentDictionary<(string Uid, string Reason, string Message), string> _names = new();

    /// <summary>Records a Warning from <paramref name="component"/> (kubelet, default-scheduler).</summary>
    public async Task WarnAsync(V1Pod pod, string component, string reason, string message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var now = clock.GetUtcNow().UtcDateTime;
        var key = (pod.Metadata.Uid ?? pod.Metadata.Name, reason, message);
        if (_names.TryGetValue(key, out var existing)
            && await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedEventAsync(existing, ns, cancellationToken: ct)) is { } seen)
        {
            seen.Count = (seen.Count ?? 1) + 1;
            seen.LastTimestamp = now;
            await client.CoreV1.ReplaceNamespacedEventAsync(seen, existing, ns, cancellationToken: ct);
            return;
        }
        var name = $"{pod.Metadata.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        _names[key] = name;
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Pod",
                NamespaceProperty = ns,
                Name = pod.Metadata.Name,
                Uid = pod.Metadata.Uid,
                ResourceVersion = pod.Metadata.ResourceVersion,
            },
            Reason = reason,
            Message = message,
            Type = "Warning",
            Source = new V1EventSource { Component = component, Host = component == "kubelet" ? Node : null },
            ReportingComponent = component,
            ReportingInstance = component == "kubelet" ? Node : "",
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        }, ns, cancellationToken: ct);
    }
}
