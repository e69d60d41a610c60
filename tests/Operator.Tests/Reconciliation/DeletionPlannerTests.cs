using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Deletion;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// The finalizer's pure plan for data claims. Claim names follow the StatefulSet controller's
/// getPersistentVolumeClaimName (<c>&lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c>) and carry the set's selector
/// labels (getPersistentVolumeClaims); the ownerReference fields are those of metav1.OwnerReference.
/// </summary>
public class DeletionPlannerTests
{
    private const string Ns = "clinical";
    private const string Uid = "5d1f0c1e-0000-4000-8000-000000000001";

    private static HipaaMongoResource Resource(DeletionPolicy policy, string name = "phi-db") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Uid = Uid },
        Spec = new HipaaMongoSpec { DeletionPolicy = policy },
    };

    private static V1PersistentVolumeClaim Claim(string name, string instance = "phi-db", string ns = Ns, params V1OwnerReference[] owners) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/name"] = "mongodb",
                ["app.kubernetes.io/instance"] = instance,
                ["app.kubernetes.io/component"] = "database",
            },
            OwnerReferences = owners.Length == 0 ? null : owners,
        },
    };

    private static List<V1PersistentVolumeClaim> Members() => [Claim("data-phi-db-0"), Claim("data-phi-db-1"), Claim("data-phi-db-2")];

    [Fact]
    public void Retain_writes_nothing_and_names_the_kept_claims()
    {
        var plan = VolumeHandoverPlanner.Plan(Resource(DeletionPolicy.Retain), Members());
        Assert.Empty(plan.Patches);
        Assert.True(plan.CanRelease);
        Assert.Equal(["data-phi-db-0", "data-phi-db-1", "data-phi-db-2"], plan.Claims);
        Assert.Contains("Retain", plan.Message, StringComparison.Ordinal);
        Assert.Contains("data-phi-db-2", plan.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Delete_adds_one_non_controlling_non_blocking_owner_reference_to_each_member_claim()
    {
        var plan = VolumeHandoverPlanner.Plan(Resource(DeletionPolicy.Delete), Members());
        Assert.Equal(["data-phi-db-0", "data-phi-db-1", "data-phi-db-2"], plan.Patches.Select(p => p.ClaimName));
        foreach (var patch in plan.Patches)
        {
            var refs = JsonNode.Parse(patch.StrategicMergePatch)!["metadata"]!["ownerReferences"]!.AsArray();
            var owner = Assert.Single(refs)!;
            Assert.Equal("hipaa.mongooperator.io/v1alpha1", owner["apiVersion"]!.GetValue<string>());
            Assert.Equal("HipaaMongo", owner["kind"]!.GetValue<string>());
            Assert.Equal("phi-db", owner["name"]!.GetValue<string>());
            Assert.Equal(Uid, owner["uid"]!.GetValue<string>());
            Assert.False(owner["controller"]!.GetValue<bool>());
            Assert.False(owner["blockOwnerDeletion"]!.GetValue<bool>());
        }
        Assert.Contains("Delete", plan.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_claim_already_owned_by_this_resource_is_not_patched_again()
    {
        var owned = Claim("data-phi-db-1", owners: VolumeHandoverPlanner.Owner("phi-db", Uid));
        var plan = VolumeHandoverPlanner.Plan(Resource(DeletionPolicy.Delete), [Claim("data-phi-db-0"), owned]);
        Assert.Equal(["data-phi-db-0"], plan.Patches.Select(p => p.ClaimName));
        Assert.Equal(["data-phi-db-0", "data-phi-db-1"], plan.Claims);
    }

    [Fact]
    public void An_owner_reference_to_an_earlier_resource_of_the_same_name_does_not_count()
    {
        var stale = new V1OwnerReference { ApiVersion = "hipaa.mongooperator.io/v1alpha1", Kind = "HipaaMongo", Name = "phi-db", Uid = "other-uid" };
        var plan = VolumeHandoverPlanner.Plan(Resource(DeletionPolicy.Delete), [Claim("data-phi-db-0", owners: stale)]);
        Assert.Equal(["data-phi-db-0"], plan.Patches.Select(p => p.ClaimName));
    }

    [Theory]
    [InlineData("data-phi-db-1-0", "phi-db", "a member claim of resource phi-db-1")]
    [InlineData("data-phi-db-x", "phi-db", "not an ordinal")]
    [InlineData("data-phi-db-", "phi-db", "no ordinal")]
    [InlineData("data-phi-db-01", "phi-db", "Go never formats an ordinal with a leading zero")]
    [InlineData("logs-phi-db-0", "phi-db", "another claim template")]
    [InlineData("data-phi-db-0", "other", "labelled for another instance")]
    public void Claims_of_others_are_never_planned(string name, string instance, string why)
    {
        var plan = VolumeHandoverPlanner.Plan(Resource(DeletionPolicy.Delete), [Claim(name, instance)]);
        Assert.True(plan.Patches.Count == 0, why);
        Assert.Empty(plan.Claims);
    }

    [Fact]
    public void Claims_in_another_namespace_are_never_planned()
    {
        var plan = VolumeHandoverPlanner.Plan(Resource(DeletionPolicy.Delete), [Claim("data-phi-db-0", ns: "elsewhere")]);
        Assert.Empty(plan.Patches);
    }

    [Fact]
    public void Claims_of_scaled_away_members_belong_to_the_resource()
    {
        var plan = VolumeHandoverPlanner.Plan(Resource(DeletionPolicy.Delete), [Claim("data-phi-db-0"), Claim("data-phi-db-7")]);
        Assert.Equal(["data-phi-db-0", "data-phi-db-7"], plan.Patches.Select(p => p.ClaimName));
    }

    [Fact]
    public void Retain_waits_while_a_statefulset_still_owns_a_claim()
    {
        var setOwner = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = "phi-db", Uid = "set-uid", Controller = true };
        var plan = VolumeHandoverPlanner.Plan(Resource(DeletionPolicy.Retain), [Claim("data-phi-db-0", owners: setOwner), Claim("data-phi-db-1")]);
        Assert.False(plan.CanRelease);
        Assert.Equal(["data-phi-db-0"], plan.StillOwnedBySet);
        Assert.Empty(plan.Patches);
    }

    [Fact]
    public void Delete_without_a_uid_is_refused_with_a_clear_error()
    {
        var resource = Resource(DeletionPolicy.Delete);
        resource.Metadata.Uid = null;
        var error = Assert.Throws<ArgumentException>(() => VolumeHandoverPlanner.Plan(resource, Members()));
        Assert.Contains("uid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_claims_gives_an_empty_plan_that_may_release()
    {
        var plan = VolumeHandoverPlanner.Plan(Resource(DeletionPolicy.Delete), []);
        Assert.Empty(plan.Patches);
        Assert.True(plan.CanRelease);
        Assert.Contains("no data volume claims", plan.Message, StringComparison.Ordinal);
    }
}
