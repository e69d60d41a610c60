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
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_statefulset_retains_claims_on_delete_and_on_scale_down(bool deleteVolumes)
    {
        var model = Models.Minimal() with { DeleteVolumes = deleteVolumes };
        var set = DesiredStateRenderer.Render(model).OfType<V1StatefulSet>().Single();
        Assert.Equal("Retain", set.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted);
        Assert.Equal("Retain", set.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled);
    }
}
