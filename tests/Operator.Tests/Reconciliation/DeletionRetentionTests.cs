using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Tests.Baseline;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// The StatefulSet never owns the data claims, whatever deletionPolicy says: with whenDeleted: Retain the
/// StatefulSet controller sets no ownerReference on them (kubernetes stateful_set_utils.go
/// updateClaimOwnerRefForSetAndPod), so deleting the set out of band cannot garbage-collect PHI.
/// </summary>
public class DeletionRetentionTests
{
    // deletionPolicy is not an input of the render at all (the finalizer acts on it, docs/deletion.md).
    [Fact]
    public void The_statefulset_retains_claims_on_delete_and_on_scale_down()
    {
        var set = DesiredStateRenderer.Render(Models.Minimal()).OfType<V1StatefulSet>().Single();
        Assert.Equal("Retain", set.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted);
        Assert.Equal("Retain", set.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled);
    }
}
