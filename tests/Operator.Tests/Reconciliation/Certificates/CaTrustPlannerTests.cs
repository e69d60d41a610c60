using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Certificates;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation.Certificates;

/// <summary>The stages of a CA change, decided from observations only (docs/certificates.md, "When the CA is lost or replaced").</summary>
public sealed class CaTrustPlannerTests
{
    private static readonly CaCert Current = new("c2", "PEM-CURRENT");
    private static readonly CaCert Previous = new("c1", "PEM-PREVIOUS");
    private static readonly CaCert Foreign = new("evil", "PEM-FOREIGN");

    private static CaTrustPlan Decide(CaTrustFacts f) => CaTrustPlanner.Decide(f, "db-ca", "db-ca-bundle");

    private static CaTrustFacts OnPrevious(params CaCert[] bundle) =>
        new() { Current = Current, MemberLeafOnCurrent = false, MemberLeafCa = Previous, MemberLeafSerial = "01", Bundle = bundle };

    private static CaTrustFacts OnCurrent(params CaCert[] bundle) =>
        new() { Current = Current, MemberLeafOnCurrent = true, MemberLeafCa = Current, MemberLeafSerial = "02", Bundle = bundle };

    [Fact]
    public void Before_cert_manager_made_the_CA_nothing_is_written_and_the_condition_is_left()
    {
        var plan = Decide(new CaTrustFacts());
        Assert.Equal((CaTrustStage.Waiting, (IReadOnlyList<CaCert>?)null, false), (plan.Stage, plan.Bundle, plan.Reissue));
        var conditions = new List<V1Condition>();
        Assert.False(CaTrustPlanner.Apply(conditions, plan, 1, DateTime.UnixEpoch));
        Assert.Empty(conditions);
    }

    [Fact]
    public void The_bundle_is_created_with_the_current_CA_before_the_member_certificate_exists_so_pods_can_mount_it()
    {
        var plan = Decide(new CaTrustFacts { Current = Current });
        Assert.Equal(CaTrustStage.Waiting, plan.Stage);
        Assert.Equal([Current], plan.Bundle);
    }

    [Fact]
    public void A_member_certificate_of_the_current_CA_with_a_bundle_of_it_alone_is_consistent()
    {
        var plan = Decide(OnCurrent(Current) with { AllServeMemberLeaf = true });
        Assert.Equal((CaTrustStage.Consistent, false, (string?)null), (plan.Stage, plan.Reissue, plan.AwaitingSerial));
        Assert.Equal([Current], plan.Bundle);
        var conditions = new List<V1Condition>();
        Assert.True(CaTrustPlanner.Apply(conditions, plan, 1, DateTime.UnixEpoch));
        Assert.Equal(("True", ConditionReasons.CaConsistent), (conditions[0].Status, conditions[0].Reason));
    }

    [Fact]
    public void A_replaced_CA_widens_the_bundle_with_the_CA_beside_the_member_certificate_and_reissues_nothing_yet()
    {
        var plan = Decide(OnPrevious(Current) with { Probe = (3, 3) });
        Assert.Equal(CaTrustStage.TrustingBoth, plan.Stage);
        Assert.Equal([Current, Previous], plan.Bundle);
        Assert.Equal(Previous.Thumbprint, plan.Previous);
        Assert.False(plan.Reissue); // the members could not have loaded a bundle that was not written yet
        Assert.Contains("Stage: detected", plan.Message);
        var conditions = new List<V1Condition>();
        CaTrustPlanner.Apply(conditions, plan, 1, DateTime.UnixEpoch);
        Assert.Equal(("False", ConditionReasons.CaReplaced), (conditions[0].Status, conditions[0].Reason));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(2, 3)]
    public void The_member_certificate_waits_while_a_member_does_not_accept_the_current_CA(int accepted, int of)
    {
        var plan = Decide(OnPrevious(Current, Previous) with { Probe = (accepted, of) });
        Assert.Equal((CaTrustStage.TrustingBoth, false), (plan.Stage, plan.Reissue));
        Assert.Contains($"{accepted} of {of} members accept", plan.Message);
    }

    [Fact]
    public void Once_every_member_accepts_the_current_CA_the_member_certificate_is_reissued_once()
    {
        var plan = Decide(OnPrevious(Current, Previous) with { Probe = (3, 3) });
        Assert.Equal((CaTrustStage.Reissuing, true), (plan.Stage, plan.Reissue));
        Assert.Equal([Current, Previous], plan.Bundle);

        var issuing = Decide(OnPrevious(Current, Previous) with { Issuing = true });
        Assert.Equal((CaTrustStage.Reissuing, false), (issuing.Stage, issuing.Reissue));
    }

    [Fact]
    public void While_members_rotate_onto_the_new_certificate_the_previous_CA_stays_and_nothing_else_does()
    {
        var plan = Decide(OnCurrent(Current, Previous, Foreign) with { PreviousThumbprint = Previous.Thumbprint, AllServeMemberLeaf = false });
        Assert.Equal(CaTrustStage.Rotating, plan.Stage);
        Assert.Equal([Current, Previous], plan.Bundle);
        Assert.False(plan.Reissue);
    }

    [Fact]
    public void The_previous_CA_stays_until_the_operator_identities_are_on_the_current_one_too()
    {
        var plan = Decide(OnCurrent(Current, Previous) with { PreviousThumbprint = Previous.Thumbprint, AllServeMemberLeaf = true, IdentitiesOnCurrent = false });
        Assert.Equal(CaTrustStage.Rotating, plan.Stage);
        var unknown = Decide(OnCurrent(Current, Previous) with { PreviousThumbprint = Previous.Thumbprint, AllServeMemberLeaf = true });
        Assert.Equal(CaTrustStage.Rotating, unknown.Stage);
    }

    [Fact]
    public void The_previous_CA_is_dropped_and_a_reissue_proves_each_member_reread_the_bundle()
    {
        var drop = Decide(OnCurrent(Current, Previous) with { PreviousThumbprint = Previous.Thumbprint, AllServeMemberLeaf = true, IdentitiesOnCurrent = true });
        Assert.Equal((CaTrustStage.DroppingPrevious, true, "02"), (drop.Stage, drop.Reissue, drop.AwaitingSerial));
        Assert.Equal([Current], drop.Bundle);
        Assert.Null(drop.Previous);

        // Written, not yet re-issued: asked again unless an issuance is under way.
        var waiting = Decide(OnCurrent(Current) with { AwaitingSerial = "02", AllServeMemberLeaf = true });
        Assert.Equal((CaTrustStage.DroppingPrevious, true), (waiting.Stage, waiting.Reissue));
        Assert.False(Decide(OnCurrent(Current) with { AwaitingSerial = "02", Issuing = true }).Reissue);

        // Re-issued (another serial), not every member serves it yet.
        var rotating = Decide(OnCurrent(Current) with { AwaitingSerial = "01", AllServeMemberLeaf = false });
        Assert.Equal((CaTrustStage.DroppingPrevious, false, "01"), (rotating.Stage, rotating.Reissue, rotating.AwaitingSerial));

        var done = Decide(OnCurrent(Current) with { AwaitingSerial = "01", AllServeMemberLeaf = true });
        Assert.Equal((CaTrustStage.Consistent, (string?)null), (done.Stage, done.AwaitingSerial));
    }

    [Fact]
    public void A_CA_added_to_the_bundle_by_someone_else_is_removed_at_once_and_the_members_made_to_reread_it()
    {
        var plan = Decide(OnCurrent(Current, Foreign));
        Assert.Equal([Current], plan.Bundle);
        Assert.Equal((CaTrustStage.DroppingPrevious, true), (plan.Stage, plan.Reissue));
    }

    [Fact]
    public void A_member_certificate_whose_ca_crt_does_not_verify_it_is_reissued_without_a_bridge()
    {
        var plan = Decide(OnPrevious(Current) with { MemberLeafCa = null });
        Assert.Equal((CaTrustStage.Reissuing, true), (plan.Stage, plan.Reissue));
        Assert.Equal([Current], plan.Bundle);
    }
}
