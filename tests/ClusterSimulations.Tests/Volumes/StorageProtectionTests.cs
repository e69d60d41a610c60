using HipaaMongo.ClusterSimulations.Volumes;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.Volumes;

/// <summary>
/// pvc-protection and pv-protection (kubernetes docs "Storage Object in Use Protection"; pvc_protection_controller.go
/// podUsesPVC, pv_protection_controller.go isBeingUsed): a claim used by a scheduled pod, or a Bound volume, keeps
/// its finalizer while being deleted; the finalizer is added to objects that lack it.
/// </summary>
public sealed class StorageProtectionTests
{
    private static readonly DateTime Deleted = new(2026, 11, 25, 9, 0, 0, DateTimeKind.Utc);

    private static V1PersistentVolumeClaim Claim(bool deleting, params string[] finalizers) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "data-rs0-0",
            DeletionTimestamp = deleting ? Deleted : null,
            Finalizers = finalizers.Length == 0 ? null : [.. finalizers],
        },
    };

    private static V1Pod Pod(string claim, bool scheduled) => new()
    {
        Metadata = new V1ObjectMeta { Name = "rs0-0" },
        Spec = new V1PodSpec
        {
            Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }],
        },
        Status = new V1PodStatus
        {
            Conditions = [new V1PodCondition { Type = "PodScheduled", Status = scheduled ? "True" : "False" }],
        },
    };

    [Fact]
    public void A_claim_without_the_finalizer_gets_it_and_others_are_kept()
    {
        Assert.Equal(["example.com/keep", StorageProtection.ClaimFinalizer],
            StorageProtection.ClaimFinalizers(Claim(false, "example.com/keep"), []));
        Assert.Null(StorageProtection.ClaimFinalizers(Claim(false, StorageProtection.ClaimFinalizer), []));
    }

    [Fact]
    public void A_deleted_claim_in_use_by_a_scheduled_pod_keeps_its_finalizer()
    {
        Assert.Null(StorageProtection.ClaimFinalizers(Claim(true, StorageProtection.ClaimFinalizer), [Pod("data-rs0-0", scheduled: true)]));
    }

    [Fact]
    public void A_deleted_claim_loses_its_finalizer_once_no_scheduled_pod_uses_it()
    {
        var claim = Claim(true, StorageProtection.ClaimFinalizer, "example.com/keep");
        Assert.Equal(["example.com/keep"], StorageProtection.ClaimFinalizers(claim, [Pod("data-rs0-0", scheduled: false), Pod("other", scheduled: true)]));
        Assert.Empty(StorageProtection.ClaimFinalizers(Claim(true, StorageProtection.ClaimFinalizer), [])!);
    }

    [Fact]
    public void No_finalizer_is_added_to_a_claim_already_being_deleted()
    {
        Assert.Null(StorageProtection.ClaimFinalizers(Claim(true), []));
    }

    [Theory]
    [InlineData("Bound", false, false, null)]
    [InlineData("Bound", true, true, null)]
    [InlineData("Released", true, true, "")]
    [InlineData("Available", true, true, "")]
    [InlineData("Bound", false, true, null)]
    public void A_volume_keeps_its_finalizer_while_Bound(string phase, bool deleting, bool has, string? expected)
    {
        var volume = new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta
            {
                Name = "pvc-1",
                DeletionTimestamp = deleting ? Deleted : null,
                Finalizers = has ? [StorageProtection.VolumeFinalizer] : null,
            },
            Status = new V1PersistentVolumeStatus { Phase = phase },
        };
        var updated = StorageProtection.VolumeFinalizers(volume);
        if (!deleting && !has)
        {
            Assert.Equal([StorageProtection.VolumeFinalizer], updated);
            return;
        }
        Assert.Equal(expected, updated is null ? null : string.Join(",", updated));
    }
}
