using HipaaMongo.Operator.Reconciliation.Verification;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>
/// Pure: the rollout planner's input from what a pass read: the StatefulSet (status.updateRevision, and
/// status.observedGeneration against metadata.generation: until its controller has observed the template, the
/// update revision is the previous one), the member pods (label controller-revision-hash, the revision the
/// StatefulSet controller created each from: kubernetes pkg/controller/statefulset getPodRevision/setPodRevision)
/// and the primary's config and status as the scale step reads them.
/// </summary>
public static class RolloutReading
{
    /// <summary>The pod label the StatefulSet controller writes with the revision a pod was created from (apps.ControllerRevisionHashLabelKey).</summary>
    public const string RevisionLabel = "controller-revision-hash";

    /// <summary>Whether a rollout can be under way: some member pod is not at the update revision.</summary>
    public static bool Outdated(V1StatefulSet? set, IEnumerable<V1Pod> memberPods)
    {
        ArgumentNullException.ThrowIfNull(memberPods);
        var update = set?.Status?.UpdateRevision;
        return update is not null && memberPods.Any(p => Revision(p) != update);
    }

    public static RolloutObservation Observe(V1StatefulSet? set, IReadOnlyList<V1Pod> memberPods, string @namespace, string name, int declared,
        ScaleObservation replicaSet, TimeSpan healthBound, DateTimeOffset now, TimeSpan clockSkew = default)
    {
        ArgumentNullException.ThrowIfNull(memberPods);
        ArgumentNullException.ThrowIfNull(replicaSet);
        var caughtUp = set?.Status?.ObservedGeneration is { } seen && seen >= (set.Metadata?.Generation ?? 0);
        var pods = memberPods.Select(p => Pod(p, @namespace, name)).OfType<RolloutPod>().ToList();
        return new RolloutObservation(set?.Status?.UpdateRevision, caughtUp, declared, pods, replicaSet.Config, replicaSet.Status,
            replicaSet.LagBoundSeconds, healthBound, now, clockSkew);
    }

    /// <summary>
    /// Why the mongod container last failed, from the pod status alone (no pods/log, no pods/exec): the terminated
    /// state's message, which with terminationMessagePolicy FallbackToLogsOnError is the tail of mongod's log when it
    /// exited with an error; else the waiting reason and message; else the Ready condition's message.
    /// </summary>
    public static string? Failure(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        // An init container that failed (e.g. mongod refusing a master-key rotation) stops the pod before mongod runs.
        if (pod.Status?.InitContainerStatuses?.FirstOrDefault(c => Exited(c) is { ExitCode: not 0 }) is { } init)
        {
            var t = Exited(init)!;
            return $"init container {init.Name} exited with code {t.ExitCode} ({t.Reason})" + (string.IsNullOrWhiteSpace(t.Message) ? "" : ": " + t.Message.Trim());
        }
        var container = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "mongod") ?? pod.Status?.ContainerStatuses?.FirstOrDefault();
        var terminated = container?.State?.Terminated ?? container?.LastState?.Terminated;
        if (terminated is not null)
        {
            var message = string.IsNullOrWhiteSpace(terminated.Message) ? "" : ": " + terminated.Message.Trim();
            return $"mongod exited with code {terminated.ExitCode} ({terminated.Reason}){message}";
        }
        if (container?.State?.Waiting is { } waiting)
        {
            return string.IsNullOrWhiteSpace(waiting.Message) ? waiting.Reason : $"{waiting.Reason}: {waiting.Message}";
        }
        return pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status != "True")?.Message;
    }

    /// <summary>The pod's process exited with an error and has not been Ready since: no wait will make it healthy by itself.</summary>
    public static bool Crashed(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        return !ready && (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []).Any(c => Exited(c) is { ExitCode: not 0 });
    }

    private static V1ContainerStateTerminated? Exited(V1ContainerStatus c) => c.State?.Terminated ?? c.LastState?.Terminated;

    private static RolloutPod? Pod(V1Pod pod, string @namespace, string name)
    {
        var ordinal = Ordinal(pod.Metadata?.Name, name);
        if (ordinal is null) return null;
        var ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        return new RolloutPod(ordinal.Value, pod.Metadata!.Name, MemberPods.AdvertisedHost(@namespace, name, ordinal.Value), pod.Metadata.Uid,
            Revision(pod), pod.Metadata.DeletionTimestamp is not null, ready, Started(pod), ready ? null : Failure(pod), Crashed(pod));
    }

    // The later of the pod's creation and its mongod container's running startedAt (a container the kubelet restarted
    // in the same pod is a new process too).
    private static DateTimeOffset? Started(V1Pod pod)
    {
        var container = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "mongod") ?? pod.Status?.ContainerStatuses?.FirstOrDefault();
        return new[] { pod.Metadata?.CreationTimestamp, container?.State?.Running?.StartedAt }.OfType<DateTime>()
            .Select(d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))).Cast<DateTimeOffset?>().Max();
    }

    private static string? Revision(V1Pod pod) => pod.Metadata?.Labels?.TryGetValue(RevisionLabel, out var r) == true ? r : null;

    private static int? Ordinal(string? podName, string name) =>
        podName is not null && podName.StartsWith(name + "-", StringComparison.Ordinal)
        && int.TryParse(podName.AsSpan(name.Length + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
}
