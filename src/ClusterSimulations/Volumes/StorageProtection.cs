using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Volumes;

/// <summary>
/// kube-controller-manager's pvc-protection and pv-protection controllers, pure
/// (pkg/controller/volume/pvcprotection, pvprotection). A claim carries <see cref="ClaimFinalizer"/> and a volume
/// <see cref="VolumeFinalizer"/> from creation (the StorageObjectInUseProtection admission plugin; the controllers
/// also add it when missing). Deleting a claim only marks it: the finalizer goes once no scheduled pod of its
/// namespace references it. A volume's finalizer goes once it is no longer Bound.
/// </summary>
public static class StorageProtection
{
    public const string ClaimFinalizer = "kubernetes.io/pvc-protection";
    public const string VolumeFinalizer = "kubernetes.io/pv-protection";

    /// <summary>The claim's new finalizer list, or null when the controller leaves it as it is.</summary>
    public static IList<string>? ClaimFinalizers(V1PersistentVolumeClaim claim, IEnumerable<V1Pod> podsOfNamespace)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(podsOfNamespace);
        var deleting = claim.Metadata.DeletionTimestamp is not null;
        var has = claim.Metadata.Finalizers?.Contains(ClaimFinalizer) == true;
        if (deleting && has && !podsOfNamespace.Any(p => UsesClaim(p, claim.Metadata.Name)))
        {
            return [.. claim.Metadata.Finalizers!.Where(f => f != ClaimFinalizer)];
        }
        return !deleting && !has ? [.. claim.Metadata.Finalizers ?? [], ClaimFinalizer] : null;
    }

    /// <summary>The volume's new finalizer list, or null when the controller leaves it as it is.</summary>
    public static IList<string>? VolumeFinalizers(V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var deleting = volume.Metadata.DeletionTimestamp is not null;
        var has = volume.Metadata.Finalizers?.Contains(VolumeFinalizer) == true;
        if (deleting && has && volume.Status?.Phase != "Bound")
        {
            return [.. volume.Metadata.Finalizers!.Where(f => f != VolumeFinalizer)];
        }
        return !deleting && !has ? [.. volume.Metadata.Finalizers ?? [], VolumeFinalizer] : null;
    }

    /// <summary>
    /// podUsesPVC: a pod uses a claim once it is scheduled (the kubelet refuses to start a pod whose claim is being
    /// deleted, so an unscheduled pod never will) and one of its volumes names the claim. A pod that still exists
    /// counts whatever its phase, as in Kubernetes. The simulated scheduler marks PodScheduled without a node name.
    /// </summary>
    public static bool UsesClaim(V1Pod pod, string claimName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return Scheduled(pod) && (pod.Spec?.Volumes ?? []).Any(v => v.PersistentVolumeClaim?.ClaimName == claimName);
    }

    /// <summary>The claims a pod's volumes name (what a pod event wakes).</summary>
    public static IEnumerable<string> ClaimsOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return (pod.Spec?.Volumes ?? []).Select(v => v.PersistentVolumeClaim?.ClaimName).OfType<string>();
    }

    private static bool Scheduled(V1Pod pod) =>
        !string.IsNullOrEmpty(pod.Spec?.NodeName)
        || pod.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "True") == true;
}
