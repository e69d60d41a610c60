using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Faults;

/// <summary>
/// Faults a node does to pods, as pure status changes the kubelet would write. A kubelet node-pressure eviction
/// (kubernetes pkg/kubelet/eviction/eviction_manager.go evictPod, getEvictionMessage): phase Failed, reason
/// Evicted, the eviction message, condition DisruptionTarget=True reason TerminationByKubelet (PodDisruptionConditions,
/// GA in 1.31), and the containers no longer ready. The StatefulSet controller then deletes the Failed pod and makes
/// it again on its claim (processReplica); a Deployment's would be replaced elsewhere.
/// </summary>
public static class PodFaults
{
    /// <summary>The kubelet's status reason for an evicted pod (eviction.Reason).</summary>
    public const string EvictedReason = "Evicted";

    /// <summary>
    /// getEvictionMessage's first parts: "The node was low on resource: memory. Threshold quantity: 100Mi,
    /// available: 48Mi. " (the per-container usage part needs usage the simulation does not measure).
    /// </summary>
    public static string EvictionMessage(string resource, string threshold, string available) =>
        $"The node was low on resource: {resource}. Threshold quantity: {threshold}, available: {available}. ";

    /// <summary>The status the kubelet writes for <paramref name="pod"/> evicted at <paramref name="now"/>.</summary>
    public static V1PodStatus Evicted(V1Pod pod, string message, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var status = StatefulSets.StatefulSetNames.Clone(pod.Status ?? new V1PodStatus());
        status.Phase = "Failed";
        status.Reason = EvictedReason;
        status.Message = message;
        status.Conditions = [.. (status.Conditions ?? []).Where(c => c.Type is not ("Ready" or "ContainersReady" or "DisruptionTarget"))];
        status.Conditions.Add(new V1PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "TerminationByKubelet", Message = message, LastTransitionTime = now });
        status.Conditions.Add(new V1PodCondition { Type = "Ready", Status = "False", Reason = "PodFailed", LastTransitionTime = now });
        status.Conditions.Add(new V1PodCondition { Type = "ContainersReady", Status = "False", Reason = "PodFailed", LastTransitionTime = now });
        foreach (var container in status.ContainerStatuses ?? [])
        {
            container.Ready = false;
            container.Started = false;
        }
        return status;
    }
}
