using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Storage;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>The pure storage decision: when claims are read, when they grow, and when a size change is refused.</summary>
public sealed class StoragePlannerTests
{
    private static readonly Dictionary<string, bool> Expandable = new() { ["standard"] = true, ["fixed"] = false };

    private static StoragePlan Plan(string desired, string? template, IReadOnlyList<ClaimState>? claims = null, bool deleting = false) =>
        StoragePlanner.Plan("phi-db", desired, template, deleting, claims, Expandable);

    private static ClaimState Claim(int ordinal, string size, string? className = "standard") =>
        new($"data-phi-db-{ordinal}", size, size, className);

    [Theory]
    [InlineData("50Gi", "50Gi")]
    [InlineData("50Gi", "51200Mi")] // the same quantity written another way
    [InlineData("50Gi", null)]      // no StatefulSet yet: it is created at the spec's size
    public void Same_size_or_no_statefulset_reads_nothing(string desired, string? template) =>
        Assert.Equal(StorageAction.None, Plan(desired, template).Action);

    [Fact]
    public void A_different_size_reads_the_claims_first() =>
        Assert.Equal(StorageAction.ReadClaims, Plan("60Gi", "50Gi").Action);

    [Fact]
    public void Growth_resizes_the_smaller_claims_and_holds_the_statefulset_while_it_is_recreated()
    {
        var plan = Plan("60Gi", "50Gi", [Claim(0, "50Gi"), Claim(1, "60Gi"), Claim(2, "50Gi")]);
        Assert.Equal(StorageAction.Expand, plan.Action);
        Assert.Equal(["data-phi-db-0", "data-phi-db-2"], plan.Resize);
        Assert.NotNull(plan.Failure);
        Assert.False(plan.Failure!.Stalled);
        Assert.Equal(ConditionReasons.StorageExpanding, plan.Failure.Reason);
    }

    [Fact]
    public void Growth_with_no_claims_yet_only_recreates_the_statefulset()
    {
        var plan = Plan("60Gi", "50Gi", []);
        Assert.Equal(StorageAction.Expand, plan.Action);
        Assert.Empty(plan.Resize);
    }

    [Theory]
    [InlineData("fixed")]   // allowVolumeExpansion false
    [InlineData("gone")]    // no such class
    [InlineData(null)]      // no class: nothing can resize it
    public void Growth_is_refused_when_a_claim_class_cannot_expand(string? className)
    {
        var plan = Plan("60Gi", "50Gi", [Claim(0, "50Gi"), Claim(1, "50Gi", className)]);
        Assert.Equal(StorageAction.Refuse, plan.Action);
        Assert.Empty(plan.Resize);
        Assert.True(plan.Failure!.Stalled);
        Assert.Equal(ConditionReasons.StorageExpansionUnsupported, plan.Failure.Reason);
        Assert.Contains("data-phi-db-1", plan.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("data-phi-db-0", plan.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_claim_already_large_enough_needs_no_expandable_class()
    {
        var plan = Plan("60Gi", "50Gi", [Claim(0, "50Gi"), Claim(1, "100Gi", "fixed")]);
        Assert.Equal(StorageAction.Expand, plan.Action);
        Assert.Equal(["data-phi-db-0"], plan.Resize);
    }

    [Fact]
    public void A_shrink_is_refused_before_any_claim_is_read()
    {
        var plan = Plan("40Gi", "50Gi");
        Assert.Equal(StorageAction.Refuse, plan.Action);
        Assert.True(plan.Failure!.Stalled);
        Assert.Equal(ConditionReasons.StorageShrinkRefused, plan.Failure.Reason);
        Assert.Contains("keeps 50Gi and nothing is deleted", plan.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_statefulset_being_deleted_is_waited_for_whatever_the_sizes()
    {
        var plan = Plan("50Gi", "50Gi", deleting: true);
        Assert.Equal(StorageAction.Wait, plan.Action);
        Assert.False(plan.Failure!.Stalled);
    }
}
