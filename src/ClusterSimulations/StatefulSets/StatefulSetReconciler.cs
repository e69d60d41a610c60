using System.Net;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// The StatefulSet controller, simulated: reads the set, its pods and claims fresh from the API (no stale-cache
/// double creates), applies <see cref="StatefulSetPlanner"/>'s actions, and writes status when it changed.
/// Pod events wake the owning set, so each one-at-a-time step follows the previous pod becoming Ready.
/// </summary>
public sealed class StatefulSetReconciler(IKubernetes client, TimeProvider clock, ILogger<StatefulSetReconciler> logger)
    : IReconciler<V1StatefulSet>
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
        var pods = (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: cancellationToken)).Items.ToList();
        pods = await AdoptAsync(set, pods, cancellationToken);
        var claims = await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, cancellationToken: cancellationToken);
        var revisions = await RevisionsAsync(set, selector, cancellationToken);
        var resolved = await RecordRevisionAsync(set, revisions, cancellationToken);
        var plan = StatefulSetPlanner.Plan(set, pods, claims.Items.ToList(), resolved, clock.GetUtcNow());
        foreach (var action in plan.Actions)
        {
            await ApplyAsync(set, action, cancellationToken);
        }
        if (plan.StatusChanged)
        {
            await UpdateStatusAsync(set, plan.Status, cancellationToken);
        }
        var known = revisions.Where(r => r.Metadata.Name != resolved.Create?.Metadata.Name).Append(resolved.Update).ToList();
        foreach (var name in StatefulSetRevisions.Truncate(set, known, pods, resolved.Current.Metadata.Name, resolved.Update.Metadata.Name))
        {
            await KubernetesErrors.DeleteAsync(() => client.AppsV1.DeleteNamespacedControllerRevisionAsync(name, ns,
                cancellationToken: cancellationToken));
        }
        return plan.RecheckAfter is { } after ? ReconcileResult.RequeueAfter(after) : ReconcileResult.Done;
    }

    // AdoptPod: the controller reference added by a patch (the pod's other owners kept), so the re-created set counts
    // the pods it adopted as its own instead of creating them again.
    private async Task<List<V1Pod>> AdoptAsync(V1StatefulSet set, List<V1Pod> pods, CancellationToken ct)
    {
        var result = new List<V1Pod>(pods.Count);
        foreach (var pod in pods)
        {
            if (!StatefulSetObjects.IsOrphanMember(set, pod))
            {
                result.Add(pod);
                continue;
            }
            var owners = (pod.Metadata.OwnerReferences ?? []).Append(StatefulSetObjects.Owner(set)).ToList();
            var patch = new V1Patch(KubernetesJson.Serialize(new V1Pod { Metadata = new V1ObjectMeta { OwnerReferences = owners } }),
                V1Patch.PatchType.MergePatch);
            logger.LogInformation("StatefulSet {Namespace}/{Set} adopting pod {Pod}", set.Metadata.NamespaceProperty, set.Metadata.Name,
                pod.Metadata.Name);
            result.Add(await client.CoreV1.PatchNamespacedPodAsync(patch, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct));
        }
        return result;
    }

    // realStatefulSetStatusUpdater.UpdateStatefulSetStatus: retry.RetryOnConflict(retry.DefaultRetry) (5 tries),
    // each on the set read again. A status lost to a conflict would leave currentReplicas too high, and the pod just
    // deleted for the update would come back at the old revision.
    private async Task UpdateStatusAsync(V1StatefulSet set, V1StatefulSetStatus status, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            set.Status = status;
            try
            {
                await client.AppsV1.ReplaceNamespacedStatefulSetStatusAsync(set, set.Metadata.Name, set.Metadata.NamespaceProperty,
                    cancellationToken: ct);
                return;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
                set = await client.AppsV1.ReadNamespacedStatefulSetAsync(set.Metadata.Name, set.Metadata.NamespaceProperty, cancellationToken: ct);
            }
        }
    }

    // ListControllerRevisions: the namespace's revisions matching the selector, controlled by this set or by none.
    private async Task<List<V1ControllerRevision>> RevisionsAsync(V1StatefulSet set, string? selector, CancellationToken ct)
    {
        var list = await client.AppsV1.ListNamespacedControllerRevisionAsync(set.Metadata.NamespaceProperty, labelSelector: selector,
            cancellationToken: ct);
        return [.. list.Items.Where(r => r.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) is not { } owner
            || owner.Uid == set.Metadata.Uid)];
    }

    // getStatefulSetRevisions with CreateControllerRevision: a name taken by an equal revision is that revision; one
    // taken by different data is a hash collision, so collisionCount goes up and the name is computed again.
    private async Task<RevisionPlan> RecordRevisionAsync(V1StatefulSet set, List<V1ControllerRevision> revisions, CancellationToken ct)
    {
        var ns = set.Metadata.NamespaceProperty;
        for (var attempt = 0; ; attempt++)
        {
            var resolved = StatefulSetRevisions.Resolve(set, revisions);
            if (resolved.Renumber is { } renumbered)
            {
                await client.AppsV1.ReplaceNamespacedControllerRevisionAsync(renumbered, renumbered.Metadata.Name, ns, cancellationToken: ct);
            }
            if (resolved.Create is not { } created)
            {
                return resolved;
            }
            logger.LogInformation("StatefulSet recording revision {Namespace}/{Revision} ({Number})", ns, created.Metadata.Name, created.Revision);
            if (await KubernetesErrors.IgnoreAsync(() => client.AppsV1.CreateNamespacedControllerRevisionAsync(created, ns, cancellationToken: ct),
                HttpStatusCode.Conflict))
            {
                return resolved;
            }
            var existing = await client.AppsV1.ReadNamespacedControllerRevisionAsync(created.Metadata.Name, ns, cancellationToken: ct);
            if (StatefulSetRevisions.Equal(existing, created) || attempt >= 10)
            {
                return resolved with { Update = existing, Current = ReferenceEquals(resolved.Current, created) ? existing : resolved.Current };
            }
            set.Status ??= new V1StatefulSetStatus();
            set.Status.CollisionCount = (set.Status.CollisionCount ?? 0) + 1;
        }
    }

    private async Task ApplyAsync(V1StatefulSet set, StatefulSetAction action, CancellationToken ct)
    {
        var ns = set.Metadata.NamespaceProperty;
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
                await KubernetesErrors.DeleteAsync(() => client.CoreV1.DeleteNamespacedPodAsync(d.Name, ns, cancellationToken: ct));
                break;
            case UpdateClaimOwners u:
                await UpdateOwnersAsync(set, u, ct);
                break;
        }
    }

    // Read fresh and Update, as the controller does; a 409 throws and the set is retried with backoff.
    // Recomputed on the fresh claim, so an owner another writer added since the list is kept.
    private async Task UpdateOwnersAsync(V1StatefulSet set, UpdateClaimOwners update, CancellationToken ct)
    {
        var ns = set.Metadata.NamespaceProperty;
        var claim = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(update.Name, ns,
            cancellationToken: ct));
        if (claim is null || ClaimOwnership.Updated(claim, set, update.Pod) is not { } owners)
        {
            return;
        }
        claim.Metadata.OwnerReferences = owners.Count == 0 ? null : owners;
        logger.LogInformation("StatefulSet updating owners of claim {Namespace}/{Claim} ({Count})", ns, update.Name, owners.Count);
        await client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(claim, update.Name, ns, cancellationToken: ct);
    }

    private static string? Selector(V1StatefulSet set) =>
        set.Spec.Selector?.MatchLabels is { Count: > 0 } labels ? string.Join(',', labels.Select(l => $"{l.Key}={l.Value}")) : null;
}
