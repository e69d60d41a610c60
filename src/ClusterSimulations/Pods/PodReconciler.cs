using System.Collections.Concurrent;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Pods;

/// <summary>
/// The kubelet, simulated: a new pod gets its own loopback IP, its workload is started, and its status becomes
/// Running and Ready as kubelet writes it; a pod being deleted has its workload stopped and is then removed
/// (grace period 0), and its IP is released.
/// </summary>
public sealed class PodReconciler(IKubernetes client, TimeProvider clock, LoopbackAddressPool addresses, IPodWorkload workload)
    : IReconciler<V1Pod>
{
    // Pods whose workload was started, so a pod deleted outright (no grace period) still has it stopped.
    private readonly ConcurrentDictionary<ObjectKey, V1Pod> _running = new();

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
            await KubernetesErrors.IgnoreAsync(() => client.CoreV1.DeleteNamespacedPodAsync(key.Name, ns, gracePeriodSeconds: 0,
                cancellationToken: cancellationToken), System.Net.HttpStatusCode.NotFound);
            return ReconcileResult.Done;
        }
        if (PodRuntime.IsStarted(pod))
        {
            return ReconcileResult.Done;
        }
        var ip = addresses.For(uid);
        var failure = await workload.StartAsync(pod, ip, cancellationToken);
        if (failure is null)
        {
            _running[key] = pod;
        }
        pod.Status = failure is null ? PodRuntime.Running(pod, ip, clock.GetUtcNow().UtcDateTime)
            : PodRuntime.CrashLooping(pod, ip, failure, clock.GetUtcNow().UtcDateTime);
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, key.Name, ns, cancellationToken: cancellationToken);
        return failure is null ? ReconcileResult.Done : ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(10));
    }
}
