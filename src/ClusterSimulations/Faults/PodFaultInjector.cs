using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Faults;

/// <summary>Injects <see cref="PodFaults"/> into a cluster: writes the pod's status as the kubelet would.</summary>
public sealed class PodFaultInjector(IKubernetes client, TimeProvider clock)
{
    /// <summary>A node-pressure eviction of the pod (memory by default), with the kubelet's Warning Event.</summary>
    public async Task EvictAsync(string ns, string name, string resource = "memory", CancellationToken cancellationToken = default)
    {
        var pod = await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken);
        var message = PodFaults.EvictionMessage(resource, "100Mi", "48Mi");
        var now = clock.GetUtcNow().UtcDateTime;
        pod.Status = PodFaults.Evicted(pod, message, now);
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, ns, cancellationToken: cancellationToken);
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            // client-go's recorder names an Event "<object>.<unix nanoseconds in hex>" (tools/record/event.go,
            // makeEvent); a generateName of "<pod>." would be refused, since a prefix may end in '-' only.
            Metadata = new V1ObjectMeta { Name = $"{name}.{UnixNanos(now):x}", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", Name = name, NamespaceProperty = ns, Uid = pod.Metadata.Uid },
            Type = "Warning",
            Reason = PodFaults.EvictedReason,
            Message = message,
            Source = new V1EventSource { Component = "kubelet" },
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        }, ns, cancellationToken: cancellationToken);
    }

    private static long UnixNanos(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks * 100;
}
