using System.Net;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ClusterSimulations.Volumes;

/// <summary>
/// The PV controller and a dynamic provisioner for claims, simulated: an unbound claim gets a default
/// StorageClass if the cluster has none, then a PersistentVolume of its class, and both become Bound.
/// </summary>
public sealed class ClaimBinder(IKubernetes client, ILogger<ClaimBinder> logger) : IReconciler<V1PersistentVolumeClaim>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var ns = key.Namespace ?? "";
        var claim = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(key.Name, ns,
            cancellationToken: cancellationToken));
        if (claim is null || claim.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }
        if (claim.Status?.Phase == "Bound")
        {
            await ExpandAsync(claim, cancellationToken);
            return ReconcileResult.Done;
        }
        var classes = await ClassesAsync(cancellationToken);
        if (VolumeProvisioning.ClassOf(claim, classes) is not { } storageClass)
        {
            return ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(5)); // stays Pending until its class exists, as with no provisioner
        }
        var volume = VolumeProvisioning.Volume(claim, storageClass);
        var created = await KubernetesErrors.IgnoreAsync(() => client.CoreV1.CreatePersistentVolumeAsync(volume, cancellationToken: cancellationToken),
            HttpStatusCode.Conflict);
        if (created)
        {
            logger.LogInformation("provisioned {Volume} for claim {Namespace}/{Claim}", volume.Metadata.Name, ns, claim.Metadata.Name);
        }
        // Also on a retry: pv-protection may have updated the volume between its creation and this status write (409).
        var stored = await client.CoreV1.ReadPersistentVolumeAsync(volume.Metadata.Name, cancellationToken: cancellationToken);
        if (stored.Status?.Phase != volume.Status.Phase)
        {
            stored.Status = volume.Status;
            await client.CoreV1.ReplacePersistentVolumeStatusAsync(stored, stored.Metadata.Name, cancellationToken: cancellationToken);
        }
        var bound = VolumeProvisioning.BindClaim(claim, volume, storageClass.Provisioner);
        bound = await client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(bound, key.Name, ns, cancellationToken: cancellationToken);
        bound.Status = VolumeProvisioning.BoundStatus(volume);
        await client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(bound, key.Name, ns, cancellationToken: cancellationToken);
        return ReconcileResult.Done;
    }

    // Volume expansion of a bound claim whose request grew past its capacity (the API server admitted it, so its class
    // allows expansion): the external-resizer grows the volume (PV spec.capacity), then kubelet grows the mounted file
    // system online and records the new size in the claim's status.capacity (kubernetes-csi/external-resizer
    // controller.go resizePVC; kubelet volume_manager NodeExpand). Both at once here: the simulated disk has no size.
    private async Task ExpandAsync(V1PersistentVolumeClaim claim, CancellationToken ct)
    {
        if (VolumeProvisioning.ExpansionTarget(claim) is not { } size || claim.Spec.VolumeName is not { } volumeName)
        {
            return;
        }
        var volume = await client.CoreV1.ReadPersistentVolumeAsync(volumeName, cancellationToken: ct);
        volume.Spec.Capacity = new Dictionary<string, ResourceQuantity>(volume.Spec.Capacity ?? new Dictionary<string, ResourceQuantity>()) { ["storage"] = size };
        var grown = await client.CoreV1.ReplacePersistentVolumeAsync(volume, volumeName, cancellationToken: ct);
        claim.Status = VolumeProvisioning.BoundStatus(grown);
        await client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(claim, claim.Metadata.Name, claim.Metadata.NamespaceProperty,
            cancellationToken: ct);
        logger.LogInformation("expanded {Volume} of claim {Namespace}/{Claim} to {Size}", volumeName, claim.Metadata.NamespaceProperty,
            claim.Metadata.Name, size.ToString());
    }

    // The cluster's classes. Like kind or minikube, the simulated cluster has a default class: it is created the
    // first time one is needed and the cluster has no default class (nor one named "standard").
    private async Task<IReadOnlyList<V1StorageClass>> ClassesAsync(CancellationToken ct)
    {
        var classes = (await client.StorageV1.ListStorageClassAsync(cancellationToken: ct)).Items.ToList();
        if (VolumeProvisioning.Default(classes) is null && classes.All(c => c.Metadata.Name != VolumeProvisioning.DefaultClassName))
        {
            await KubernetesErrors.IgnoreAsync(() => client.StorageV1.CreateStorageClassAsync(VolumeProvisioning.DefaultClass(), cancellationToken: ct),
                HttpStatusCode.Conflict);
            classes = [.. (await client.StorageV1.ListStorageClassAsync(cancellationToken: ct)).Items];
        }
        return classes;
    }
}

/// <summary>
/// The PV controller's reclaim step: a volume whose claim is gone becomes Released, then is deleted (Delete) or
/// stays Released (Retain). Released first, as pv_controller.go does, so pv-protection lets a deleted volume go.
/// </summary>
public sealed class VolumeReclaimer(IKubernetes client, ILogger<VolumeReclaimer> logger) : IReconciler<V1PersistentVolume>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var volume = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadPersistentVolumeAsync(key.Name, cancellationToken: cancellationToken));
        if (volume?.Spec.ClaimRef is not { } claimRef || volume.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }
        var claim = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claimRef.Name,
            claimRef.NamespaceProperty, cancellationToken: cancellationToken));
        var decision = VolumeProvisioning.OnClaimGone(volume, claim);
        if (decision is null)
        {
            return ReconcileResult.Done;
        }
        if (volume.Status?.Phase != "Released")
        {
            volume.Status = new V1PersistentVolumeStatus { Phase = "Released" };
            await client.CoreV1.ReplacePersistentVolumeStatusAsync(volume, key.Name, cancellationToken: cancellationToken);
        }
        if (decision == "Delete")
        {
            logger.LogInformation("deleting {Volume}: its claim is gone (reclaimPolicy Delete)", key.Name);
            await KubernetesErrors.DeleteAsync(() => client.CoreV1.DeletePersistentVolumeAsync(key.Name, cancellationToken: cancellationToken));
        }
        return ReconcileResult.Done;
    }
}
