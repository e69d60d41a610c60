using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// What the StatefulSet controller reads from a pod (kubernetes pkg/controller/statefulset/stateful_set_utils.go:
/// isCreated, isPending, isFailed, isSucceeded, isTerminating, isRunningAndReady, isRunningAndAvailable, isHealthy,
/// getPodRevision; pkg/api/v1/pod IsPodAvailable).
/// </summary>
public static class PodState
{
    /// <summary>isCreated: the API server gave it a phase (a pod only planned here has none).</summary>
    public static bool IsCreated(V1Pod pod) => !string.IsNullOrEmpty(pod?.Status?.Phase);

    /// <summary>isPending: phase Pending.</summary>
    public static bool IsPending(V1Pod pod) => pod?.Status?.Phase == "Pending";

    /// <summary>isRunningAndReady: phase Running with condition Ready=True.</summary>
    public static bool IsRunningAndReady(V1Pod pod) => pod?.Status?.Phase == "Running" && IsReady(pod);

    /// <summary>Condition Ready=True (podutil.IsPodReady).</summary>
    public static bool IsReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    /// <summary>
    /// isRunningAndAvailable → IsPodAvailable: Ready, and with minReadySeconds &gt; 0 Ready since a
    /// lastTransitionTime that is more than minReadySeconds before <paramref name="now"/>.
    /// </summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        if (!IsReady(pod))
        {
            return false;
        }
        if (minReadySeconds <= 0)
        {
            return true;
        }
        return ReadyCondition(pod)?.LastTransitionTime is { } since
            && new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)).AddSeconds(minReadySeconds) < now;
    }

    /// <summary>isUnavailable: not available (as above) or being deleted; what maxUnavailable counts.</summary>
    public static bool IsUnavailable(V1Pod pod, int minReadySeconds, DateTimeOffset now) =>
        !IsRunningAndReady(pod) || IsTerminating(pod) || !IsAvailable(pod, minReadySeconds, now);

    /// <summary>isTerminating: being deleted (has a deletionTimestamp).</summary>
    public static bool IsTerminating(V1Pod pod) => pod?.Metadata?.DeletionTimestamp is not null;

    /// <summary>isFailed or isSucceeded: the controller deletes it and recreates it on a later pass.</summary>
    public static bool IsFinished(V1Pod pod) => pod?.Status?.Phase is "Failed" or "Succeeded";

    /// <summary>getPodRevision: the controller-revision-hash label.</summary>
    public static string? Revision(V1Pod pod) =>
        pod?.Metadata?.Labels is { } l && l.TryGetValue(StatefulSetNames.RevisionLabel, out var r) ? r : null;

    private static V1PodCondition? ReadyCondition(V1Pod pod) => pod?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
}
