using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Deletion;

/// <summary>
/// The I/O of <see cref="VolumeHandoverPlanner"/>: lists the namespace's claims, sends the ownerReference patches,
/// and records what was handed over or kept as an Event on the resource (claim names only). Any failure throws,
/// so the caller keeps its finalizer and the reconcile is retried with backoff: the finalizer is never released
/// with the data half handled.
/// </summary>
public sealed class VolumeHandover(IKubernetes client, EventRecorder events)
{
    public const string HandedOverReason = "VolumesHandedOver";
    public const string RetainedReason = "VolumesRetained";
    public const string FailedReason = "VolumeHandoverFailed";

    /// <summary>Hands the data claims over (Delete) or leaves them alone (Retain); returns the plan carried out.</summary>
    public async Task<VolumeHandoverPlan> RunAsync(HipaaMongoResource resource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var ns = resource.Metadata.NamespaceProperty;
        var listed = await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns,
            labelSelector: MemberClaims.LabelSelector(resource.Metadata.Name), cancellationToken: ct);
        var plan = VolumeHandoverPlanner.Plan(resource, listed.Items);
        foreach (var patch in plan.Patches)
        {
            await PatchAsync(resource, ns, patch, ct);
        }
        if (!plan.CanRelease)
        {
            await PinRetentionAsync(resource, plan, ct);
        }
        var reason = plan.Policy == DeletionPolicy.Delete ? HandedOverReason : RetainedReason;
        await events.RecordAsync(resource, EventRecorder.Normal, reason, plan.Message, ct);
        return plan;
    }

    private async Task PatchAsync(HipaaMongoResource resource, string ns, ClaimPatch patch, CancellationToken ct)
    {
        try
        {
            await client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
                new V1Patch(patch.StrategicMergePatch, V1Patch.PatchType.StrategicMergePatch), patch.ClaimName, ns,
                fieldManager: ObjectWriterFieldManager, cancellationToken: ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var message = $"deletionPolicy Delete: could not hand data volume claim {patch.ClaimName} to garbage collection " +
                $"({ex.GetType().Name}); the finalizer is kept and the handover retried";
            await events.RecordAsync(resource, EventRecorder.Warning, FailedReason, message, ct);
            throw new VolumeHandoverException(message, ex);
        }
    }

    // Retain, but a StatefulSet rendered before whenDeleted was pinned still owns claims: pin its policy to Retain
    // (its controller then drops the ownership) and keep the finalizer until the claims have no such owner.
    private async Task PinRetentionAsync(HipaaMongoResource resource, VolumeHandoverPlan plan, CancellationToken ct)
    {
        const string body = """{"spec":{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Retain"}}}""";
        await client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(body, V1Patch.PatchType.MergePatch),
            Names.StatefulSet(resource.Metadata.Name), resource.Metadata.NamespaceProperty,
            fieldManager: ObjectWriterFieldManager, cancellationToken: ct);
        var message = "deletionPolicy Retain: waiting for the StatefulSet controller to release data volume claims " +
            $"{string.Join(", ", plan.StillOwnedBySet)} before the finalizer is removed";
        await events.RecordAsync(resource, EventRecorder.Warning, FailedReason, message, ct);
        throw new VolumeHandoverException(message);
    }

    private const string ObjectWriterFieldManager = Apply.ObjectWriter.FieldManager;
}
