using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Pods;

/// <summary>The status a kubelet writes for a pod whose containers started and pass readiness, pure.</summary>
public static class PodRuntime
{
    /// <summary>The host IP every simulated pod reports (one local "node").</summary>
    public const string HostIp = "127.0.0.1";

    /// <summary>Running and Ready on <paramref name="podIp"/>: kubelet's five pod conditions and a running state per container.</summary>
    public static V1PodStatus Running(V1Pod pod, string podIp, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var started = pod.Status?.StartTime ?? now;
        return new V1PodStatus
        {
            Phase = "Running",
            HostIP = HostIp,
            HostIPs = [new V1HostIP { Ip = HostIp }],
            PodIP = podIp,
            PodIPs = [new V1PodIP { Ip = podIp }],
            StartTime = started,
            QosClass = "BestEffort",
            Conditions =
            [
                Condition("PodReadyToStartContainers", now),
                Condition("Initialized", now),
                Condition("Ready", now),
                Condition("ContainersReady", now),
                Condition("PodScheduled", now),
            ],
            ContainerStatuses = [.. pod.Spec.Containers.Select(c => new V1ContainerStatus
            {
                Name = c.Name,
                Image = c.Image,
                ImageID = c.Image,
                ContainerID = $"simulated://{pod.Metadata.Uid ?? pod.Metadata.Name}/{c.Name}",
                Ready = true,
                Started = true,
                RestartCount = 0,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = started } },
            })],
        };
    }

    /// <summary>
    /// Running but its container keeps failing: Ready=False (ContainersNotReady) and the container waiting in
    /// CrashLoopBackOff with <paramref name="reason"/> as message, restartCount counting the attempts.
    /// </summary>
    public static V1PodStatus CrashLooping(V1Pod pod, string podIp, string reason, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var status = Running(pod, podIp, now);
        var restarts = pod.Status?.ContainerStatuses?.Select(c => c.RestartCount).DefaultIfEmpty(-1).Max() + 1 ?? 0;
        foreach (var type in new[] { "Ready", "ContainersReady" })
        {
            var c = status.Conditions.Single(x => x.Type == type);
            c.Status = "False";
            c.Reason = "ContainersNotReady";
            c.Message = $"containers with unready status: [{string.Join(' ', pod.Spec.Containers.Select(x => x.Name))}]";
        }
        foreach (var container in status.ContainerStatuses)
        {
            container.Ready = false;
            container.Started = false;
            container.RestartCount = restarts;
            container.State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = reason } };
        }
        return status;
    }

    /// <summary>
    /// kubelet's restart back-off after the <paramref name="restartCount"/>-th failed start: 10 s, doubling,
    /// capped at 5 minutes (kubernetes.io, "Container restarts").
    /// </summary>
    public static TimeSpan CrashLoopBackOff(int restartCount)
    {
        var doublings = Math.Clamp(restartCount, 0, 5);
        var delay = TimeSpan.FromSeconds(10 * (1 << doublings));
        return delay < MaxCrashLoopBackOff ? delay : MaxCrashLoopBackOff;
    }

    private static readonly TimeSpan MaxCrashLoopBackOff = TimeSpan.FromMinutes(5);

    /// <summary>True when the pod already runs Ready on an IP (nothing to write).</summary>
    public static bool IsStarted(V1Pod pod) =>
        pod?.Status is { Phase: "Running", PodIP.Length: > 0 } s && s.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static V1PodCondition Condition(string type, DateTime now) =>
        new() { Type = type, Status = "True", LastTransitionTime = now };
}
