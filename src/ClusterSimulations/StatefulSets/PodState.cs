using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>What the StatefulSet controller reads from a pod.</summary>
public static class PodState
{
    /// <summary>Running with condition Ready=True.</summary>
    public static bool IsRunningAndReady(V1Pod pod) =>
        pod?.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Condition Ready=True.</summary>
    public static bool IsReady(V1Pod pod) => pod?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Being deleted (has a deletionTimestamp).</summary>
    public static bool IsTerminating(V1Pod pod) => pod?.Metadata?.DeletionTimestamp is not null;

    /// <summary>Phase Failed or Succeeded: the controller deletes and recreates it.</summary>
    public static bool IsFinished(V1Pod pod) => pod?.Status?.Phase is "Failed" or "Succeeded";

    /// <summary>The controller-revision-hash label.</summary>
    public static string? Revision(V1Pod pod) =>
        pod?.Metadata?.Labels is { } l && l.TryGetValue(StatefulSetNames.RevisionLabel, out var r) ? r : null;
}
