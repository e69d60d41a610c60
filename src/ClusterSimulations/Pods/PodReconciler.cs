using System.Collections.Concurrent;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Pods;

/// <summary>
/// The kubelet, simulated: a new pod gets its own loopback IP, its workload is started, and its status becomes
/// Running and Ready as kubelet writes it; a pod being deleted has its workload stopped and is then removed
/// (grace period 0), and its IP is released. A workload that fails to start is retried with kubelet's
/// CrashLoopBackOff delays, on the process clock (<paramref name="backoffClock"/>), not the simulated one.
/// </summary>
public sealed class PodReconciler(IKubernetes client, TimeProvider clock, LoopbackAddressPool addresses, IPodWorkload workload,
    TimeProvider? backoffClock = null)
    : IReconciler<V1Pod>
{
    // Pods whose workload was started, so a pod deleted outright (no grace period) still has it stopped.
    private readonly ConcurrentDictionary<ObjectKey, V1Pod> _running = new();

    // When each failing pod (by uid) may be tried again. Our own status write wakes the pod at once, so without
    // this a failing start would be retried in a hot loop instead of after kubelet's back-off.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _retryAt = new();
    private readonly TimeProvider _backoffClock = backoffClock ?? TimeProvider.System;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var ns = key.Namespace ?? "";
        var pod = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedPodAsync(key.Name, ns, cancellationToken: cancellationToken));
        if (pod is null || (_running.TryGetValue(key, out var known) && known.Metadata.Uid != pod.Metadata.Uid))
        {
            if (_running.TryRemove(key, out var gone))
            {
                await workload.StopAsync(gone, cancellationToken);
                addresses.Release(gone.Metadata.Uid ?? key.ToString());
            }
            if (pod is null)
            {
                return ReconcileResult.Done;
            }
        }
        var uid = pod.Metadata.Uid ?? key.ToString();
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            if (_running.TryRemove(key, out _))
            {
                await workload.StopAsync(pod, cancellationToken);
            }
            addresses.Release(uid);
            _retryAt.TryRemove(uid, out _);
            await KubernetesErrors.IgnoreAsync(() => client.CoreV1.DeleteNamespacedPodAsync(key.Name, ns, gracePeriodSeconds: 0,
                cancellationToken: cancellationToken), System.Net.HttpStatusCode.NotFound);
            return ReconcileResult.Done;
        }
        if (PodRuntime.IsStarted(pod))
        {
            return ReconcileResult.Done;
        }
        if (_retryAt.TryGetValue(uid, out var retryAt) && _backoffClock.GetUtcNow() < retryAt)
        {
            return ReconcileResult.RequeueAfter(retryAt - _backoffClock.GetUtcNow());
        }
        var ip = addresses.For(uid);
        var failure = await workload.StartAsync(pod, ip, cancellationToken);
        if (failure is null)
        {
            _running[key] = pod;
            _retryAt.TryRemove(uid, out _);
        }
        pod.Status = failure is null ? PodRuntime.Running(pod, ip, clock.GetUtcNow().UtcDateTime)
            : PodRuntime.CrashLooping(pod, ip, failure, clock.GetUtcNow().UtcDateTime);
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, key.Name, ns, cancellationToken: cancellationToken);
        if (failure is null)
        {
            return ReconcileResult.Done;
        }
        var delay = PodRuntime.CrashLoopBackOff(pod.Status.ContainerStatuses.Max(c => c.RestartCount));
        _retryAt[uid] = _backoffClock.GetUtcNow() + delay;
        return ReconcileResult.RequeueAfter(delay);
    }
}
