using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Volumes;

/// <summary>
/// A dynamic provisioner and the PV controller's binding, pure (kubernetes pkg/controller/volume/persistentvolume:
/// provisionClaimOperation, bindVolumeToClaim, bindClaimToVolume; storageclass util GetDefaultClass): one
/// PersistentVolume <c>pvc-&lt;claim uid&gt;</c> per claim, with the claim's size, access modes and class, and the
/// class's reclaim policy.
/// </summary>
public static class VolumeProvisioning
{
    public const string Provisioner = "sim.hipaa-mongo.io/hostpath";
    public const string DefaultClassName = "standard";
    public const string IsDefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    public const string ProvisionedByAnnotation = "pv.kubernetes.io/provisioned-by";
    public const string BindCompletedAnnotation = "pv.kubernetes.io/bind-completed";
    public const string BoundByControllerAnnotation = "pv.kubernetes.io/bound-by-controller";
    public const string StorageProvisionerAnnotation = "volume.kubernetes.io/storage-provisioner";
    public const string BetaStorageProvisionerAnnotation = "volume.beta.kubernetes.io/storage-provisioner";

    /// <summary>The class made when a cluster has none: default, reclaimPolicy Delete, volumeBindingMode Immediate.</summary>
    public static V1StorageClass DefaultClass() => new()
    {
        ApiVersion = "storage.k8s.io/v1",
        Kind = "StorageClass",
        Metadata = new V1ObjectMeta
        {
            Name = DefaultClassName,
            Annotations = new Dictionary<string, string> { [IsDefaultClassAnnotation] = "true" },
        },
        Provisioner = Provisioner,
        ReclaimPolicy = "Delete",
        VolumeBindingMode = "Immediate",
        AllowVolumeExpansion = true,
    };

    /// <summary>GetDefaultClass: the newest class annotated default (name breaks ties), or null.</summary>
    public static V1StorageClass? Default(IEnumerable<V1StorageClass> classes) =>
        classes.Where(c => c.Metadata.Annotations?.TryGetValue(IsDefaultClassAnnotation, out var v) == true && v == "true")
            .OrderByDescending(c => c.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenBy(c => c.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>The class a claim provisions from: its storageClassName, else the default (retroactive default class).</summary>
    public static V1StorageClass? ClassOf(V1PersistentVolumeClaim claim, IReadOnlyList<V1StorageClass> classes)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(classes);
        return claim.Spec.StorageClassName is { } name ? classes.FirstOrDefault(c => c.Metadata.Name == name) : Default(classes);
    }

    /// <summary>The volume name for a claim: pvc-&lt;claim uid&gt;.</summary>
    public static string VolumeName(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return $"pvc-{claim.Metadata.Uid}";
    }

    /// <summary>The provisioned volume, bound to <paramref name="claim"/> (claimRef) and already phase Bound.</summary>
    public static V1PersistentVolume Volume(V1PersistentVolumeClaim claim, V1StorageClass storageClass)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(storageClass);
        var name = VolumeName(claim);
        return new V1PersistentVolume
        {
            ApiVersion = "v1",
            Kind = "PersistentVolume",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = new Dictionary<string, string> { [ProvisionedByAnnotation] = storageClass.Provisioner },
            },
            Spec = new V1PersistentVolumeSpec
            {
                AccessModes = [.. claim.Spec.AccessModes ?? ["ReadWriteOnce"]],
                Capacity = new Dictionary<string, ResourceQuantity>
                {
                    ["storage"] = claim.Spec.Resources?.Requests?.TryGetValue("storage", out var size) == true ? size : new ResourceQuantity("1Gi"),
                },
                ClaimRef = new V1ObjectReference
                {
                    ApiVersion = "v1",
                    Kind = "PersistentVolumeClaim",
                    NamespaceProperty = claim.Metadata.NamespaceProperty,
                    Name = claim.Metadata.Name,
                    Uid = claim.Metadata.Uid,
                    ResourceVersion = claim.Metadata.ResourceVersion,
                },
                PersistentVolumeReclaimPolicy = storageClass.ReclaimPolicy ?? "Delete",
                StorageClassName = storageClass.Metadata.Name,
                VolumeMode = claim.Spec.VolumeMode ?? "Filesystem",
                // Where a hostPath provisioner would put it; the mongod workload keeps claim data in its own directory.
                HostPath = new V1HostPathVolumeSource { Path = $"/var/lib/hipaa-mongo-sim/{name}", Type = "DirectoryOrCreate" },
            },
            Status = new V1PersistentVolumeStatus { Phase = "Bound" },
        };
    }

    /// <summary>The claim once bound: spec.volumeName, the PV controller's annotations, and its class when it had none.</summary>
    public static V1PersistentVolumeClaim BindClaim(V1PersistentVolumeClaim claim, V1PersistentVolume volume, string provisioner)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(volume);
        var bound = StatefulSets.StatefulSetNames.Clone(claim);
        bound.Spec.VolumeName = volume.Metadata.Name;
        bound.Spec.StorageClassName ??= volume.Spec.StorageClassName;
        bound.Metadata.Annotations = new Dictionary<string, string>(bound.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            [BindCompletedAnnotation] = "yes",
            [BoundByControllerAnnotation] = "yes",
            [StorageProvisionerAnnotation] = provisioner,
            [BetaStorageProvisionerAnnotation] = provisioner,
        };
        return bound;
    }

    /// <summary>A bound claim's status: phase Bound with the volume's access modes and capacity.</summary>
    public static V1PersistentVolumeClaimStatus BoundStatus(V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return new V1PersistentVolumeClaimStatus
        {
            Phase = "Bound",
            AccessModes = [.. volume.Spec.AccessModes],
            Capacity = new Dictionary<string, ResourceQuantity>(volume.Spec.Capacity),
        };
    }

    /// <summary>The size a bound claim is to grow to: its storage request when above status.capacity, else null.</summary>
    public static ResourceQuantity? ExpansionTarget(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.Status?.Phase != "Bound" || claim.Spec.Resources?.Requests?.TryGetValue("storage", out var requested) != true
            || claim.Status.Capacity?.TryGetValue("storage", out var capacity) != true)
        {
            return null;
        }
        return ApiMachinery.Quantity.Compare(requested!.ToString(), capacity!.ToString()) > 0 ? requested : null;
    }

    /// <summary>
    /// What happens to a volume whose claim is gone (or was recreated with another uid): Delete removes it, Retain
    /// (and Recycle, which is not simulated) leaves it Released. Null while the claim is there.
    /// </summary>
    public static string? OnClaimGone(V1PersistentVolume volume, V1PersistentVolumeClaim? claim)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (volume.Spec.ClaimRef is null || (claim is not null && claim.Metadata.Uid == volume.Spec.ClaimRef.Uid))
        {
            return null;
        }
        return volume.Spec.PersistentVolumeReclaimPolicy == "Delete" ? "Delete" : "Released";
    }
}
