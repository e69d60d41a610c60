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
    /// The container's process died (<paramref name="exitCode"/>, e.g. 137 for SIGKILL) and the kubelet started it
    /// again in the same pod (restartPolicy Always): Running, restartCount one more, lastState.terminated with the
    /// exit code and reason Error (kubelet's kuberuntime container status; OOMKilled is the OOM killer's reason).
    /// </summary>
    public static V1PodStatus Restarted(V1Pod pod, string podIp, int exitCode, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var status = Running(pod, podIp, now);
        var restarts = (pod.Status?.ContainerStatuses?.Select(c => c.RestartCount).DefaultIfEmpty(0).Max() ?? 0) + 1;
        foreach (var container in status.ContainerStatuses)
        {
            var before = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == container.Name);
            container.RestartCount = restarts;
            container.ContainerID = $"{container.ContainerID}#{restarts}";
            container.State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = now } };
            container.LastState = new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = exitCode,
                    Reason = "Error",
                    StartedAt = before?.State?.Running?.StartedAt,
                    FinishedAt = now,
                    ContainerID = before?.ContainerID,
                },
            };
        }
        return status;
    }

    /// <summary>
    /// Running but its container keeps failing: Ready=False (ContainersNotReady) and the container waiting in
    /// CrashLoopBackOff with <paramref name="reason"/> as message, restartCount counting the attempts.
    /// </summary>
    public static V1PodStatus CrashLooping(V1Pod pod, string podIp, string reason, DateTime now, int exitCode = 1)
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
            var spec = pod.Spec.Containers.FirstOrDefault(c => c.Name == container.Name);
            container.LastState = new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Reason = "Error", FinishedAt = now, Message = TerminationMessage(spec, reason) },
            };
        }
        return status;
    }

    /// <summary>
    /// The terminated state's message as the kubelet fills it (kuberuntime_container.go getTerminationMessage and
    /// readLastStringFromContainerLogs): the process writes no terminationMessagePath file here, so the message is
    /// empty under policy File, and under FallbackToLogsOnError (the exit code is non-zero) the tail of the
    /// container's log, at most 80 lines and 2048 bytes (kubecontainer.MaxContainerTerminationMessageLogLines/Length).
    /// </summary>
    public static string? TerminationMessage(V1Container? container, string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (container?.TerminationMessagePolicy != "FallbackToLogsOnError")
        {
            return null;
        }
        var lines = log.Split('\n');
        var tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 80)));
        return tail.Length <= 2048 ? tail : tail[^2048..];
    }

    /// <summary>
    /// The status as the kubelet writes it for a pod with readiness gates (pkg/kubelet/status/generate.go
    /// GeneratePodReadyCondition; Kubernetes docs "Pod Lifecycle", "Pod readiness gate"): conditions the kubelet does
    /// not own (a readiness gate's, set by a controller through pods/status) are kept from the pod as stored
    /// (generateAPIPodStatus keeps every type not in PodConditionsByKubelet), and Ready is True only when ContainersReady
    /// is True and every gate's condition exists and is True; otherwise False with reason ReadinessGatesNotReady and
    /// the kubelet's message per gate. A pod without gates is returned as it is.
    /// </summary>
    public static V1PodStatus Gated(V1Pod pod, V1PodStatus status, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(status);
        var result = StatefulSets.StatefulSetNames.Clone(status);
        result.Conditions = [.. (result.Conditions ?? []).Where(c => KubeletConditions.Contains(c.Type))];
        foreach (var kept in (pod.Status?.Conditions ?? []).Where(c => !KubeletConditions.Contains(c.Type)))
        {
            result.Conditions.Add(StatefulSets.StatefulSetNames.Clone(kept));
        }
        var gates = pod.Spec?.ReadinessGates ?? [];
        var podReady = result.Conditions.FirstOrDefault(c => c.Type == "Ready");
        var containersReady = result.Conditions.FirstOrDefault(c => c.Type == "ContainersReady");
        if (gates.Count == 0 || podReady is null || containersReady?.Status != "True")
        {
            return result; // Ready follows ContainersReady, as the kubelet's status already says
        }
        var unready = gates.Select(g => result.Conditions.FirstOrDefault(c => c.Type == g.ConditionType) switch
        {
            null => $"corresponding condition of pod readiness gate \"{g.ConditionType}\" does not exist.",
            { Status: "True" } => null,
            var c => $"the status of pod readiness gate \"{g.ConditionType}\" is not \"True\", but {c.Status}",
        }).OfType<string>().ToList();
        var ready = unready.Count == 0 ? "True" : "False";
        var before = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        podReady.Status = ready;
        podReady.Reason = unready.Count == 0 ? null : "ReadinessGatesNotReady";
        podReady.Message = unready.Count == 0 ? null : string.Join(", ", unready);
        podReady.LastTransitionTime = before?.Status == ready ? before.LastTransitionTime ?? now : now;
        return result;
    }

    // The condition types the kubelet writes itself (kubetypes.PodConditionsByKubelet, with the scheduler's PodScheduled
    // that the kubelet also carries over); every other type belongs to whoever set it.
    private static readonly HashSet<string> KubeletConditions = ["PodScheduled", "Ready", "Initialized", "ContainersReady", "PodReadyToStartContainers"];

    /// <summary>
    /// The running pod with its readiness probe's verdict: Ready and ContainersReady True, or False with
    /// ContainersNotReady and every container not ready (still running: no restart).
    /// </summary>
    public static V1PodStatus WithReadiness(V1Pod pod, bool ready, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var status = StatefulSets.StatefulSetNames.Clone(pod.Status ?? new V1PodStatus());
        foreach (var c in (status.Conditions ?? []).Where(c => c.Type is "Ready" or "ContainersReady"))
        {
            c.Status = ready ? "True" : "False";
            c.Reason = ready ? null : "ContainersNotReady";
            c.Message = ready ? null : $"containers with unready status: [{string.Join(' ', pod.Spec.Containers.Select(x => x.Name))}]";
            c.LastTransitionTime = now;
        }
        foreach (var container in status.ContainerStatuses ?? [])
        {
            container.Ready = ready;
        }
        return status;
    }

    /// <summary>
    /// The scheduler could not place the pod: phase Pending with PodScheduled=False, reason Unschedulable and the
    /// scheduler's FitError text for one node (kube-scheduler framework FitError.Error with the volumebinding
    /// PreFilter message, e.g. "pod has unbound immediate PersistentVolumeClaims").
    /// </summary>
    public static V1PodStatus Unschedulable(V1Pod pod, string preFilterMessage, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new V1PodStatus
        {
            Phase = "Pending",
            QosClass = "BestEffort",
            Conditions =
            [
                new V1PodCondition
                {
                    Type = "PodScheduled",
                    Status = "False",
                    Reason = "Unschedulable",
                    Message = $"0/1 nodes are available: {preFilterMessage}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
                    LastTransitionTime = now,
                },
            ],
        };
    }

    /// <summary>
    /// Scheduled but its volumes cannot be set up, so no container was created: phase Pending, containers
    /// waiting in ContainerCreating (PodInitializing, and init containers too, when the pod has init containers),
    /// as `kubectl get pod` shows ContainerCreating / Init:0/N.
    /// </summary>
    public static V1PodStatus ContainerCreating(V1Pod pod, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var inits = pod.Spec.InitContainers ?? [];
        var waiting = inits.Count > 0 ? "PodInitializing" : "ContainerCreating";
        V1PodCondition Not(string type, string reason, IEnumerable<V1Container> containers, string what) => new()
        {
            Type = type,
            Status = "False",
            Reason = reason,
            Message = $"containers with {what} status: [{string.Join(' ', containers.Select(c => c.Name))}]",
            LastTransitionTime = now,
        };
        V1ContainerStatus Waiting(V1Container c) => new()
        {
            Name = c.Name,
            Image = c.Image,
            ImageID = "",
            Ready = false,
            Started = false,
            RestartCount = 0,
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waiting } },
        };
        return new V1PodStatus
        {
            Phase = "Pending",
            HostIP = HostIp,
            HostIPs = [new V1HostIP { Ip = HostIp }],
            StartTime = pod.Status?.StartTime ?? now,
            QosClass = "BestEffort",
            Conditions =
            [
                new V1PodCondition { Type = "PodReadyToStartContainers", Status = "False", LastTransitionTime = now },
                inits.Count > 0 ? Not("Initialized", "ContainersNotInitialized", inits, "incomplete") : Condition("Initialized", now),
                Not("Ready", "ContainersNotReady", pod.Spec.Containers, "unready"),
                Not("ContainersReady", "ContainersNotReady", pod.Spec.Containers, "unready"),
                Condition("PodScheduled", now),
            ],
            InitContainerStatuses = inits.Count > 0 ? [.. inits.Select(Waiting)] : null,
            ContainerStatuses = [.. pod.Spec.Containers.Select(Waiting)],
        };
    }

    /// <summary>
    /// The kubelet's volume-operation back-off after the <paramref name="failures"/>-th failed mount: 500 ms,
    /// doubling, capped at 2 min 2 s (pkg/util/goroutinemap/exponentialbackoff).
    /// </summary>
    public static TimeSpan MountBackOff(int failures)
    {
        var delay = TimeSpan.FromMilliseconds(500 * Math.Pow(2, Math.Clamp(failures - 1, 0, 10)));
        return delay < MaxMountBackOff ? delay : MaxMountBackOff;
    }

    private static readonly TimeSpan MaxMountBackOff = TimeSpan.FromSeconds(122);

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
