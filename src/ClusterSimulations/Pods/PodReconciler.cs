using System.Collections.Concurrent;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Pods;

/// <summary>
/// The scheduler and the kubelet, simulated: a pod waits Pending (PodScheduled=False) until its claims are Bound,
/// then gets its own loopback IP, its workload is started, and its status becomes Running and Ready as kubelet
/// writes it. A volume that cannot be set up keeps it in ContainerCreating with a FailedMount Event; a process that
/// exits puts it in CrashLoopBackOff. Running pods follow the hang annotation and their readiness probe. A pod
/// being deleted has its workload stopped and is then removed (grace period 0), and its IP is released. Retries
/// use kubelet's back-offs on the process clock (<paramref name="backoffClock"/>); probe periods use the simulated one.
/// </summary>
public sealed class PodReconciler(IKubernetes client, TimeProvider clock, LoopbackAddressPool addresses, IPodWorkload workload,
    TimeProvider? backoffClock = null)
    : IReconciler<V1Pod>
{
    /// <summary>The annotation a person (kubectl annotate) or a test sets to make a pod's process hang: "true".</summary>
    public const string HangAnnotation = "sim.hipaa-mongo.io/hang";

    // How often a running pod is looked at again for its readiness probe (real time; the probe's own period is
    // counted on the simulated clock).
    private static readonly TimeSpan ProbeCheck = TimeSpan.FromSeconds(1);

    // Pods whose workload was started, so a pod deleted outright (no grace period) still has it stopped.
    private readonly ConcurrentDictionary<ObjectKey, Started> _running = new();

    // When each failing pod (by uid) may be tried again, and how many times it failed to mount. Our own status
    // write wakes the pod at once, so without this a failing start would be retried in a hot loop.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _retryAt = new();
    private readonly ConcurrentDictionary<string, int> _mountFailures = new();
    private readonly TimeProvider _backoffClock = backoffClock ?? TimeProvider.System;
    private readonly PodEvents _events = new(client, clock);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var ns = key.Namespace ?? "";
        var pod = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedPodAsync(key.Name, ns, cancellationToken: cancellationToken));
        if (pod is null || (_running.TryGetValue(key, out var known) && known.Pod.Metadata.Uid != pod.Metadata.Uid))
        {
            if (_running.TryRemove(key, out var gone))
            {
                await workload.StopAsync(gone.Pod, cancellationToken);
                addresses.Release(gone.Pod.Metadata.Uid ?? key.ToString());
            }
            if (pod is null)
            {
                return ReconcileResult.Done;
            }
        }
        var uid = pod.Metadata.Uid ?? key.ToString();
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return await DeleteAsync(key, pod, uid, cancellationToken);
        }
        if (_running.TryGetValue(key, out var started))
        {
            return await WhileRunningAsync(key, pod, started, cancellationToken);
        }
        if (PodRuntime.IsStarted(pod))
        {
            return ReconcileResult.Done; // started by an earlier process; nothing of ours runs in it
        }
        if (_retryAt.TryGetValue(uid, out var retryAt) && _backoffClock.GetUtcNow() < retryAt)
        {
            return ReconcileResult.RequeueAfter(retryAt - _backoffClock.GetUtcNow());
        }
        if (await UnboundClaimAsync(pod, cancellationToken) is { } unbound)
        {
            var status = PodRuntime.Unschedulable(pod, unbound, Now);
            if (await WriteStatusAsync(pod, status, cancellationToken))
            {
                await _events.WarnAsync(pod, "default-scheduler", "FailedScheduling", status.Conditions[0].Message, cancellationToken);
            }
            return ReconcileResult.RequeueAfter(ProbeCheck);
        }
        return await StartAsync(key, pod, uid, cancellationToken);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<ReconcileResult> StartAsync(ObjectKey key, V1Pod pod, string uid, CancellationToken ct)
    {
        var ip = addresses.For(uid);
        var failure = await workload.StartAsync(pod, ip, ct);
        if (failure is null)
        {
            _running[key] = new Started(pod, ip, new ReadinessTracker());
            _retryAt.TryRemove(uid, out _);
            _mountFailures.TryRemove(uid, out _);
            await WriteStatusAsync(pod, PodRuntime.Running(pod, ip, Now), ct);
            if (Hung(pod))
            {
                await workload.SetHungAsync(pod, true, ct);
            }
            return ReconcileResult.RequeueAfter(ProbeCheck);
        }
        TimeSpan delay;
        if (failure.Mount)
        {
            // No container was created: the IP goes back until the volumes can be set up.
            addresses.Release(uid);
            delay = PodRuntime.MountBackOff(_mountFailures.AddOrUpdate(uid, 1, (_, n) => n + 1));
            await WriteStatusAsync(pod, PodRuntime.ContainerCreating(pod, Now), ct);
            await _events.WarnAsync(pod, "kubelet", "FailedMount", failure.Message, ct);
        }
        else
        {
            var crashing = PodRuntime.CrashLooping(pod, ip, failure.Message, Now, failure.ExitCode);
            await WriteAsync(pod, crashing, ct);
            delay = PodRuntime.CrashLoopBackOff(crashing.ContainerStatuses.Max(c => c.RestartCount));
        }
        _retryAt[uid] = _backoffClock.GetUtcNow() + delay;
        return ReconcileResult.RequeueAfter(delay);
    }

    // A started pod: apply the hang switch, then run its readiness probe when a period has passed on the simulated clock.
    private async Task<ReconcileResult> WhileRunningAsync(ObjectKey key, V1Pod pod, Started started, CancellationToken ct)
    {
        if (workload.ExitCodeOf(pod) is { } exitCode)
        {
            return await RestartContainerAsync(key, pod, started, exitCode, ct);
        }
        var hung = Hung(pod);
        if (hung != started.Hung)
        {
            await workload.SetHungAsync(pod, hung, ct);
            _running[key] = started = started with { Pod = pod, Hung = hung };
        }
        var container = pod.Spec.Containers.FirstOrDefault(c => c.ReadinessProbe is not null);
        if (container?.ReadinessProbe is not { } probe)
        {
            // no probe: kubelet keeps the container Ready whatever the process does; a readiness gate's condition
            // written since (pods/status) still decides the pod's Ready
            await WriteStatusAsync(pod, pod.Status, ct);
            return ReconcileResult.Done;
        }
        var written = false;
        if (started.Readiness.Due(clock.GetUtcNow(), probe))
        {
            var passed = await ReadinessProbe.RunAsync(probe, container, started.Ip, () => workload.Answers(pod), ct);
            if (started.Readiness.Record(passed, probe) is { } ready && ready != ContainersReady(pod))
            {
                written = await WriteStatusAsync(pod, PodRuntime.WithReadiness(pod, ready, Now), ct);
            }
        }
        if (!written)
        {
            await WriteStatusAsync(pod, pod.Status, ct); // a readiness gate's condition changed: Ready follows it
        }
        return ReconcileResult.RequeueAfter(ProbeCheck);
    }

    // The process died: the kubelet starts the container again in the same pod, on the same volumes and IP.
    private async Task<ReconcileResult> RestartContainerAsync(ObjectKey key, V1Pod pod, Started started, int exitCode, CancellationToken ct)
    {
        var failure = await workload.StartAsync(pod, started.Ip, ct);
        if (failure is not null)
        {
            _running.TryRemove(key, out _);
            var crashing = PodRuntime.CrashLooping(pod, started.Ip, failure.Message, Now, failure.ExitCode);
            await WriteAsync(pod, crashing, ct);
            var delay = PodRuntime.CrashLoopBackOff(crashing.ContainerStatuses.Max(c => c.RestartCount));
            _retryAt[pod.Metadata.Uid ?? key.ToString()] = _backoffClock.GetUtcNow() + delay;
            return ReconcileResult.RequeueAfter(delay);
        }
        _running[key] = started with { Pod = pod, Readiness = new ReadinessTracker(), Hung = false };
        await WriteStatusAsync(pod, PodRuntime.Restarted(pod, started.Ip, exitCode, Now), ct);
        if (Hung(pod))
        {
            await workload.SetHungAsync(pod, true, ct);
            _running[key] = _running[key] with { Hung = true };
        }
        return ReconcileResult.RequeueAfter(ProbeCheck);
    }

    private async Task<ReconcileResult> DeleteAsync(ObjectKey key, V1Pod pod, string uid, CancellationToken ct)
    {
        if (_running.TryRemove(key, out _))
        {
            await workload.StopAsync(pod, ct);
        }
        addresses.Release(uid);
        _retryAt.TryRemove(uid, out _);
        _mountFailures.TryRemove(uid, out _);
        await KubernetesErrors.DeleteAsync(() => client.CoreV1.DeleteNamespacedPodAsync(key.Name, key.Namespace ?? "", gracePeriodSeconds: 0,
            cancellationToken: ct));
        return ReconcileResult.Done;
    }

    // The volumebinding plugin's PreFilter: every claim must exist and be Bound (Immediate binding).
    private async Task<string?> UnboundClaimAsync(V1Pod pod, CancellationToken ct)
    {
        foreach (var volume in (pod.Spec.Volumes ?? []).Where(v => v.PersistentVolumeClaim is not null))
        {
            var name = volume.PersistentVolumeClaim.ClaimName;
            var claim = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name,
                pod.Metadata.NamespaceProperty, cancellationToken: ct));
            if (claim is null)
            {
                return $"persistentvolumeclaim \"{name}\" not found";
            }
            if (claim.Status?.Phase != "Bound")
            {
                return "pod has unbound immediate PersistentVolumeClaims";
            }
        }
        return null;
    }

    // Writes the status unless it is the same state again (no write, no watch event); true when written.
    // Every write goes through PodRuntime.Gated: conditions others set are kept and Ready honours the readiness gates.
    private async Task<bool> WriteStatusAsync(V1Pod pod, V1PodStatus? status, CancellationToken ct)
    {
        if (status is null)
        {
            return false;
        }
        if (KubernetesJson.Serialize(WithoutTimes(PodRuntime.Gated(pod, status, Now))) == KubernetesJson.Serialize(WithoutTimes(pod.Status)))
        {
            return false;
        }
        await WriteAsync(pod, status, ct);
        return true;
    }

    // The kubelet's status manager writes its status onto the pod as stored now (it reads the latest and patches), so
    // a condition another writer set in between (a readiness gate's) is kept and never lost to a conflict: on 409 the
    // pod is read again and the same kubelet status is laid over it. Returns the pod as written.
    private async Task<V1Pod> WriteAsync(V1Pod pod, V1PodStatus status, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            pod.Status = PodRuntime.Gated(pod, status, Now);
            try
            {
                return await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response?.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 5)
            {
                var latest = await client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct);
                if (latest.Metadata.Uid != pod.Metadata.Uid)
                {
                    return latest; // a new pod under the same name: its own reconcile starts it
                }
                pod = latest;
            }
        }
    }

    private static V1PodStatus? WithoutTimes(V1PodStatus? status)
    {
        if (status is null)
        {
            return null;
        }
        var copy = StatefulSets.StatefulSetNames.Clone(status);
        copy.StartTime = null;
        foreach (var c in copy.Conditions ?? [])
        {
            c.LastTransitionTime = null;
        }
        return copy;
    }

    private static bool ContainersReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "ContainersReady" && c.Status == "True") == true;

    private static bool Hung(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(HangAnnotation, out var v) == true && string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);

    private sealed record Started(V1Pod Pod, string Ip, ReadinessTracker Readiness, bool Hung = false);
}
