using HipaaMongo.ClusterSimulations.StatefulSets;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.StatefulSets;

/// <summary>
/// Claim ownership per persistentVolumeClaimRetentionPolicy, as kubernetes stateful_set_utils.go documents it on
/// isClaimOwnerUpToDate: "Retain on scaling and set deletion: no owner ref; Retain on scaling and delete on set
/// deletion: owner ref on the set only", stale references (same name, other uid) are not touched, and with a
/// non-Retain policy a foreign controller makes the set scrub only its own reference.
/// </summary>
public sealed class ClaimOwnershipTests
{
    private static V1Pod Pod(V1StatefulSet set)
    {
        var pod = StatefulSetObjects.Pod(set, 0, "rs0-rev");
        pod.Metadata.Uid = "pod-0";
        return pod;
    }

    private static V1StatefulSetPersistentVolumeClaimRetentionPolicy Policy(string whenDeleted, string whenScaled = "Retain") =>
        new() { WhenDeleted = whenDeleted, WhenScaled = whenScaled };

    [Fact]
    public void Whendeleted_Delete_makes_the_set_the_claims_controller_at_creation()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(2, "Parallel"));
        c.Set.Spec.PersistentVolumeClaimRetentionPolicy = Policy("Delete");
        c.Settle();
        Assert.All(c.Claims.Values, claim =>
        {
            var owner = Assert.Single(claim.Metadata.OwnerReferences);
            Assert.Equal(("apps/v1", "StatefulSet", "rs0", "set-uid", true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller));
        });
    }

    [Fact]
    public void A_policy_changed_from_Delete_to_Retain_removes_the_sets_reference_and_keeps_other_owners()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(2, "Parallel"));
        c.Set.Spec.PersistentVolumeClaimRetentionPolicy = Policy("Delete");
        c.Settle();
        var other = new V1OwnerReference { ApiVersion = "example.com/v1", Kind = "Keeper", Name = "k", Uid = "keeper-uid", Controller = false };
        c.Claims["data-rs0-0"].Metadata.OwnerReferences.Add(other);

        c.Set.Spec.PersistentVolumeClaimRetentionPolicy = Policy("Retain");
        var plan = c.Step();
        Assert.Equal(["data-rs0-0", "data-rs0-1"], plan.Actions.OfType<UpdateClaimOwners>().Select(u => u.Name).Order());
        c.Settle();
        Assert.Equal("keeper-uid", Assert.Single(c.Claims["data-rs0-0"].Metadata.OwnerReferences).Uid);
        Assert.Null(c.Claims["data-rs0-1"].Metadata.OwnerReferences);
        Assert.Empty(c.Step().Actions.OfType<UpdateClaimOwners>()); // up to date: no further writes
    }

    [Fact]
    public void A_policy_changed_from_Retain_to_Delete_adds_the_sets_reference()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(1));
        c.Settle();
        Assert.Null(c.Claims["data-rs0-0"].Metadata.OwnerReferences);
        c.Set.Spec.PersistentVolumeClaimRetentionPolicy = Policy("Delete");
        c.Settle();
        Assert.Equal("set-uid", Assert.Single(c.Claims["data-rs0-0"].Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public void A_stale_reference_to_an_earlier_set_of_the_same_name_is_not_touched()
    {
        var set = MiniCluster.NewSet(1);
        var stale = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = "rs0", Uid = "old-uid", Controller = true };
        var claim = new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data-rs0-0", OwnerReferences = [stale] } };
        Assert.Null(ClaimOwnership.Updated(claim, set, Pod(set)));
    }

    [Fact]
    public void Under_Delete_a_foreign_controller_keeps_the_claim_and_only_the_sets_reference_is_scrubbed()
    {
        var set = MiniCluster.NewSet(1);
        set.Spec.PersistentVolumeClaimRetentionPolicy = Policy("Delete");
        var foreign = new V1OwnerReference { ApiVersion = "example.com/v1", Kind = "Keeper", Name = "k", Uid = "keeper-uid", Controller = true };
        var claim = new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data-rs0-0", OwnerReferences = [foreign] } };
        Assert.Null(ClaimOwnership.Updated(claim, set, Pod(set)));
        claim.Metadata.OwnerReferences.Add(StatefulSetObjects.Owner(set));
        Assert.Equal(["keeper-uid"], ClaimOwnership.Updated(claim, set, Pod(set))!.Select(r => r.Uid));
    }

    [Fact]
    public void A_non_controller_reference_of_the_set_is_made_the_controller()
    {
        var set = MiniCluster.NewSet(1);
        set.Spec.PersistentVolumeClaimRetentionPolicy = Policy("Delete");
        var weak = StatefulSetObjects.Owner(set);
        weak.Controller = false;
        var claim = new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data-rs0-0", OwnerReferences = [weak] } };
        var updated = ClaimOwnership.Updated(claim, set, Pod(set))!;
        Assert.True(Assert.Single(updated).Controller);
    }
}
