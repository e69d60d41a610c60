using System.Net;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// The StatefulSet controller, simulated: reads the set, its pods and claims fresh from the API (no stale-cache
/// double creates), applies <see cref="StatefulSetPlanner"/>'s actions, and writes status when it changed.
/// Pod events wake the owning set, so each one-at-a-time step follows the previous pod becoming Ready.
/// </summary>
public sealed class StatefulSetReconciler(IKubernetes client, ILogger<StatefulSetReconciler> logger) : IReconciler<V1StatefulSet>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var ns = key.Namespace ?? "";
        var set = await KubernetesErrors.OrNullAsync(() => client.AppsV1.ReadNamespacedStatefulSetAsync(key.Name, ns,
            cancellationToken: cancellationToken));
        if (set is null || set.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done; // pods go with it through their owner references
        }
        var selector = Selector(set);
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: cancellationToken);
        var claims = await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, cancellationToken: cancellationToken);
        var plan = StatefulSetPlanner.Plan(set, pods.Items.ToList(), claims.Items.ToList());
        foreach (var action in plan.Actions)
        {
            await ApplyAsync(ns, action, cancellationToken);
        }
        if (KubernetesJson.Serialize(plan.Status) != KubernetesJson.Serialize(set.Status))
        {
            set.Status = plan.Status;
            await client.AppsV1.ReplaceNamespacedStatefulSetStatusAsync(set, set.Metadata.Name, ns, cancellationToken: cancellationToken);
        }
        return ReconcileResult.Done;
    }

    private async Task ApplyAsync(string ns, StatefulSetAction action, CancellationToken ct)
    {
        switch (action)
        {
            case CreateClaim c:
                await KubernetesErrors.IgnoreAsync(() => client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(c.Claim, ns, cancellationToken: ct),
                    HttpStatusCode.Conflict);
                break;
            case CreatePod p:
                logger.LogInformation("StatefulSet creating pod {Namespace}/{Pod}", ns, p.Pod.Metadata.Name);
                await KubernetesErrors.IgnoreAsync(() => client.CoreV1.CreateNamespacedPodAsync(p.Pod, ns, cancellationToken: ct),
                    HttpStatusCode.Conflict);
                break;
            case DeletePod d:
                logger.LogInformation("StatefulSet deleting pod {Namespace}/{Pod} ({Reason})", ns, d.Name, d.Reason);
                await KubernetesErrors.IgnoreAsync(() => client.CoreV1.DeleteNamespacedPodAsync(d.Name, ns, cancellationToken: ct),
                    HttpStatusCode.NotFound);
                break;
            case DeleteClaim d:
                await KubernetesErrors.IgnoreAsync(() => client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(d.Name, ns, cancellationToken: ct),
                    HttpStatusCode.NotFound);
                break;
        }
    }

    private static string? Selector(V1StatefulSet set) =>
        set.Spec.Selector?.MatchLabels is { Count: > 0 } labels ? string.Join(',', labels.Select(l => $"{l.Key}={l.Value}")) : null;
}
