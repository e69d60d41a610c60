using HipaaMongo.ClusterSimulations.Volumes;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.Volumes;

/// <summary>
/// Dynamic provisioning and binding as kube-controller-manager's PV controller does it
/// (pkg/controller/volume/persistentvolume/pv_controller.go: provisionClaimOperation, bindVolumeToClaim,
/// bindClaimToVolume, reclaimVolume) and the default StorageClass rule (storageclass.kubernetes.io/is-default-class).
/// </summary>
public sealed class VolumeProvisioningTests
{
    private static V1PersistentVolumeClaim Claim(string? storageClass = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "data-rs0-0", NamespaceProperty = "phi-db", Uid = "c0ffee", ResourceVersion = "42" },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } },
        },
    };

    private static V1StorageClass Class(string name, string? reclaim, bool isDefault = false, DateTime? created = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            CreationTimestamp = created,
            Annotations = isDefault ? new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "true" } : null,
        },
        Provisioner = "example.com/disk",
        ReclaimPolicy = reclaim,
    };

    [Fact]
    public void The_volume_is_pvc_uid_with_the_claims_size_modes_class_and_a_claimRef()
    {
        var volume = VolumeProvisioning.Volume(Claim("fast"), Class("fast", "Retain"));

        Assert.Equal("pvc-c0ffee", volume.Metadata.Name);
        Assert.Equal("example.com/disk", volume.Metadata.Annotations["pv.kubernetes.io/provisioned-by"]);
        Assert.Equal(new ResourceQuantity("10Gi"), volume.Spec.Capacity["storage"]);
        Assert.Equal(["ReadWriteOnce"], volume.Spec.AccessModes);
        Assert.Equal(("fast", "Retain", "Filesystem"), (volume.Spec.StorageClassName, volume.Spec.PersistentVolumeReclaimPolicy, volume.Spec.VolumeMode));
        var claimRef = volume.Spec.ClaimRef;
        Assert.Equal(("v1", "PersistentVolumeClaim", "phi-db", "data-rs0-0", "c0ffee"),
            (claimRef.ApiVersion, claimRef.Kind, claimRef.NamespaceProperty, claimRef.Name, claimRef.Uid));
        Assert.Equal("Bound", volume.Status.Phase);
    }

    [Fact]
    public void A_class_without_reclaimPolicy_deletes_its_volumes()
    {
        Assert.Equal("Delete", VolumeProvisioning.Volume(Claim(), Class("standard", null)).Spec.PersistentVolumeReclaimPolicy);
        Assert.Equal("Delete", VolumeProvisioning.DefaultClass().ReclaimPolicy);
        Assert.Equal("true", VolumeProvisioning.DefaultClass().Metadata.Annotations["storageclass.kubernetes.io/is-default-class"]);
    }

    [Fact]
    public void A_claim_without_a_class_uses_the_newest_default_class()
    {
        var classes = new[]
        {
            Class("old-default", "Delete", isDefault: true, created: new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            Class("new-default", "Delete", isDefault: true, created: new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            Class("fast", "Retain"),
        };

        Assert.Equal("new-default", VolumeProvisioning.ClassOf(Claim(), classes)!.Metadata.Name);
        Assert.Equal("fast", VolumeProvisioning.ClassOf(Claim("fast"), classes)!.Metadata.Name);
        Assert.Null(VolumeProvisioning.ClassOf(Claim("missing"), classes));
    }

    [Fact]
    public void A_bound_claim_carries_volumeName_the_controller_annotations_and_Bound_status()
    {
        var volume = VolumeProvisioning.Volume(Claim(), Class("standard", "Delete"));

        var bound = VolumeProvisioning.BindClaim(Claim(), volume, "example.com/disk");
        var status = VolumeProvisioning.BoundStatus(volume);

        Assert.Equal(("pvc-c0ffee", "standard"), (bound.Spec.VolumeName, bound.Spec.StorageClassName));
        Assert.Equal("yes", bound.Metadata.Annotations["pv.kubernetes.io/bind-completed"]);
        Assert.Equal("yes", bound.Metadata.Annotations["pv.kubernetes.io/bound-by-controller"]);
        Assert.Equal("example.com/disk", bound.Metadata.Annotations["volume.kubernetes.io/storage-provisioner"]);
        Assert.Equal(("Bound", "10Gi"), (status.Phase, status.Capacity["storage"].ToString()));
    }

    [Fact]
    public void A_volume_whose_claim_is_gone_is_deleted_or_released_per_reclaimPolicy()
    {
        var deleting = VolumeProvisioning.Volume(Claim(), Class("standard", "Delete"));
        var retaining = VolumeProvisioning.Volume(Claim(), Class("keep", "Retain"));
        var recreated = Claim();
        recreated.Metadata.Uid = "another";

        Assert.Null(VolumeProvisioning.OnClaimGone(deleting, Claim()));
        Assert.Equal("Delete", VolumeProvisioning.OnClaimGone(deleting, null));
        Assert.Equal("Released", VolumeProvisioning.OnClaimGone(retaining, null));
        Assert.Equal("Released", VolumeProvisioning.OnClaimGone(retaining, recreated)); // same name, new claim: not ours
    }

    [Theory]
    [InlineData("Bound", "20Gi", "10Gi", "20Gi")]   // request above capacity: grow to it
    [InlineData("Bound", "10Gi", "10Gi", null)]     // at capacity: nothing
    [InlineData("Bound", "10240Mi", "10Gi", null)]  // the same quantity written another way
    [InlineData("Bound", "15Gi", "20Gi", null)]     // a request lowered after a failed expansion: never shrink
    [InlineData("Pending", "20Gi", "10Gi", null)]   // only a bound claim is expanded
    public void A_bound_claim_grows_to_its_request_only_when_above_its_capacity(string phase, string requested, string capacity, string? expected)
    {
        var claim = Claim();
        claim.Spec.Resources.Requests["storage"] = new ResourceQuantity(requested);
        claim.Status = new V1PersistentVolumeClaimStatus
        {
            Phase = phase,
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(capacity) },
        };
        Assert.Equal(expected, VolumeProvisioning.ExpansionTarget(claim)?.ToString());
    }
}
