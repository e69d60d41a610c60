using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Volumes;

/// <summary>The pvc-protection controller: adds or removes <see cref="StorageProtection.ClaimFinalizer"/> (Update, as the real one).</summary>
public sealed class ClaimProtection(IKubernetes client) : IReconciler<V1PersistentVolumeClaim>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var ns = key.Namespace ?? "";
        var claim = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(key.Name, ns,
            cancellationToken: cancellationToken));
        if (claim is null)
        {
            return ReconcileResult.Done;
        }
        // A live list, as the controller's askAPIServer does before it lets a claim go.
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: cancellationToken);
        if (StorageProtection.ClaimFinalizers(claim, pods.Items) is { } finalizers)
        {
            claim.Metadata.Finalizers = finalizers;
            // A 409 (the claim changed meanwhile) throws and the key is retried with backoff.
            await client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(claim, key.Name, ns, cancellationToken: cancellationToken);
        }
        return ReconcileResult.Done;
    }
}

/// <summary>The pv-protection controller: adds or removes <see cref="StorageProtection.VolumeFinalizer"/>.</summary>
public sealed class VolumeProtection(IKubernetes client) : IReconciler<V1PersistentVolume>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var volume = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadPersistentVolumeAsync(key.Name, cancellationToken: cancellationToken));
        if (volume is not null && StorageProtection.VolumeFinalizers(volume) is { } finalizers)
        {
            volume.Metadata.Finalizers = finalizers;
            await client.CoreV1.ReplacePersistentVolumeAsync(volume, key.Name, cancellationToken: cancellationToken);
        }
        return ReconcileResult.Done;
    }
}
