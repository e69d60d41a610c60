using System.Net;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Deletion;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Storage;

/// <summary>
/// What the storage step leaves for the children step: the render to apply (the StatefulSet at its current claim size
/// when a size change is refused), whether the StatefulSet is skipped this pass (it is being re-created), and the
/// failure status and Events report.
/// </summary>
public sealed record StorageResult(DesiredState Desired, bool HoldStatefulSet, IReadOnlyList<ChildFailure> Failures)
{
    /// <summary>True for the object the children step must not write this pass.</summary>
    public bool Holds(k8s.IKubernetesObject<V1ObjectMeta> obj) => HoldStatefulSet && obj is V1StatefulSet;
}

/// <summary>
/// The I/O of <see cref="StoragePlanner"/>: reads the StatefulSet from the cache, and only when its claim size differs
/// from the spec lists the data claims and GETs their StorageClasses; patches each claim's request, then deletes the
/// StatefulSet with propagationPolicy Orphan (uid precondition), and records one Normal Event naming what it did.
/// </summary>
public sealed class StorageStep(IKubernetes client, OwnedCaches caches, EventRecorder events)
{
    public async Task<StorageResult> RunAsync(HipaaMongoResource resource, DesiredState desired, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(desired);
        var ns = resource.Metadata.NamespaceProperty;
        var name = Names.StatefulSet(resource.Metadata.Name);
        var live = caches.StatefulSets.Get(new ObjectKey(ns, name));
        var size = resource.Spec.Storage.Size;
        var template = TemplateSize(live);
        var deleting = live?.Metadata.DeletionTimestamp is not null;
        var plan = StoragePlanner.Plan(name, size, template, deleting, null, new Dictionary<string, bool>());
        if (plan.Action == StorageAction.ReadClaims)
        {
            var claims = await ClaimsAsync(resource, ct);
            plan = StoragePlanner.Plan(name, size, template, deleting, claims, await ClassesAsync(claims, ct));
        }
        switch (plan.Action)
        {
            case StorageAction.Refuse:
                return new StorageResult(WithClaimSize(desired, template!), false, [plan.Failure!]);
            case StorageAction.Wait:
                return new StorageResult(desired, true, [plan.Failure!]);
            case StorageAction.Expand:
                return await ExpandAsync(resource, desired, live!, plan, ct);
            case StorageAction.None:
            case StorageAction.ReadClaims:
            default:
                return new StorageResult(desired, false, []);
        }
    }

    private async Task<StorageResult> ExpandAsync(HipaaMongoResource resource, DesiredState desired, V1StatefulSet live, StoragePlan plan,
        CancellationToken ct)
    {
        var ns = resource.Metadata.NamespaceProperty;
        var size = resource.Spec.Storage.Size;
        foreach (var claim in plan.Resize)
        {
            try
            {
                var body = new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["resources"] = new System.Text.Json.Nodes.JsonObject { ["requests"] = new System.Text.Json.Nodes.JsonObject { ["storage"] = size } } } }.ToJsonString();
                await client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(new V1Patch(body, V1Patch.PatchType.MergePatch), claim, ns,
                    fieldManager: ObjectWriter.FieldManager, cancellationToken: ct);
            }
            catch (HttpOperationException ex) when (!ct.IsCancellationRequested)
            {
                // The API's own refusal (403 from PersistentVolumeClaimResize, 422 from validation): the StatefulSet stays.
                return new StorageResult(WithClaimSize(desired, TemplateSize(live)!), false, [ChildFailures.From("PersistentVolumeClaim", claim, ex)]);
            }
        }
        try
        {
            await client.AppsV1.DeleteNamespacedStatefulSetAsync(live.Metadata.Name, ns, new V1DeleteOptions
            {
                PropagationPolicy = "Orphan",
                Preconditions = new V1Preconditions { Uid = live.Metadata.Uid },
            }, cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: the children step creates it at the new size.
        }
        var message = $"storage {TemplateSize(live)} -> {size}: resized {(plan.Resize.Count == 0 ? "no claim" : string.Join(", ", plan.Resize))}; "
            + $"StatefulSet {live.Metadata.Name} deleted with its pods left running (propagationPolicy Orphan) and created again with the new claim size";
        await events.RecordAsync(resource, EventRecorder.Normal, ConditionReasons.StorageExpanding, message, ct);
        return new StorageResult(desired, true, [plan.Failure!]);
    }

    private async Task<IReadOnlyList<ClaimState>> ClaimsAsync(HipaaMongoResource resource, CancellationToken ct)
    {
        var ns = resource.Metadata.NamespaceProperty;
        var listed = await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns,
            labelSelector: MemberClaims.LabelSelector(resource.Metadata.Name), cancellationToken: ct);
        return [.. MemberClaims.Of(ns, resource.Metadata.Name, listed.Items).Select(c => new ClaimState(c.Metadata.Name,
            Storage(c.Spec.Resources?.Requests), Storage(c.Status?.Capacity), c.Spec.StorageClassName))];
    }

    // Each class the claims name, once (a class that is not there counts as not allowing expansion).
    private async Task<IReadOnlyDictionary<string, bool>> ClassesAsync(IReadOnlyList<ClaimState> claims, CancellationToken ct)
    {
        var classes = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in claims.Select(c => c.StorageClassName).OfType<string>().Where(n => n.Length > 0).Distinct())
        {
            try
            {
                var sc = await client.StorageV1.ReadStorageClassAsync(name, cancellationToken: ct);
                classes[name] = sc.AllowVolumeExpansion == true;
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                // absent: not in the map
            }
        }
        return classes;
    }

    private static string? TemplateSize(V1StatefulSet? set) =>
        Storage(set?.Spec?.VolumeClaimTemplates?.FirstOrDefault(t => t.Metadata?.Name == PodVolumes.Data)?.Spec?.Resources?.Requests);

    private static string? Storage(IDictionary<string, ResourceQuantity>? amounts) =>
        amounts is not null && amounts.TryGetValue("storage", out var q) ? q.ToString() : null;

    // The render with the StatefulSet's data claim template at the size it already has (a refused change).
    private static DesiredState WithClaimSize(DesiredState desired, string size) => new([.. desired.Objects.Select(o =>
    {
        if (o is not V1StatefulSet set)
        {
            return o;
        }
        var copy = KubernetesJson.Deserialize<V1StatefulSet>(KubernetesJson.Serialize(set));
        var data = copy.Spec.VolumeClaimTemplates.First(t => t.Metadata.Name == PodVolumes.Data);
        data.Spec.Resources.Requests["storage"] = new ResourceQuantity(size);
        return (k8s.IKubernetesObject<V1ObjectMeta>)copy;
    })]);
}
