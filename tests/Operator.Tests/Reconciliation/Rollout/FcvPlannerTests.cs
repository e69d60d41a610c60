using HipaaMongo.Operator.Reconciliation.Rollout;

namespace HipaaMongo.Operator.Tests.Reconciliation.Rollout;

/// <summary>
/// FcvPlanner (docs/rollouts.md, "Version upgrades"): FCV is raised to spec.version's release only when the rollout is
/// at rest and every member's buildInfo reports that release; confirm: true from 7.0; a version below FCV is refused.
/// </summary>
public sealed class FcvPlannerTests
{
    private static MemberBinary[] Binaries(params string?[] versions) => [.. versions.Select((v, i) => new MemberBinary($"phi-db-{i}", v))];

    private static FcvAction Next(string declared, string? fcv, MemberBinary[] binaries, bool steady = true, string? target = null) =>
        FcvPlanner.Next(new FcvObservation(declared, fcv, target, binaries, binaries.Length, steady));

    [Fact]
    public void Every_member_on_the_new_release_and_the_rollout_at_rest_raises_fcv_with_confirm()
    {
        var raise = Assert.IsType<FcvAction.Raise>(Next("8.0.5", "7.0", Binaries("8.0.5", "8.0.5", "8.0.5")));

        Assert.Equal(("8.0", true), (raise.Version, raise.Confirm));
        Assert.Contains("featureCompatibilityVersion 7.0 is raised to 8.0", raise.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_before_seven_is_raised_without_confirm_which_its_command_does_not_know() =>
        Assert.False(Assert.IsType<FcvAction.Raise>(Next("6.0.3", "5.0", Binaries("6.0.3", "6.0.3", "6.0.3"))).Confirm);

    [Theory]
    [InlineData("7.0.12", "8.0.5", "8.0.5", "phi-db-0 runs 7.0.12")]
    [InlineData("8.0.5", null, "8.0.5", "phi-db-1 did not answer buildInfo")]
    public void A_member_still_on_the_old_binary_or_silent_keeps_fcv_where_it_is(string first, string? second, string third, string named)
    {
        var wait = Assert.IsType<FcvAction.Wait>(Next("8.0.5", "7.0", Binaries(first, second, third)));

        Assert.Contains(named, wait.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_members_read_than_declared_waits() =>
        Assert.Contains("only 2 of 3 members were read",
            Assert.IsType<FcvAction.Wait>(FcvPlanner.Next(new FcvObservation("8.0.5", "7.0", null, Binaries("8.0.5", "8.0.5"), 3, true))).Reason,
            StringComparison.Ordinal);

    [Fact]
    public void A_rollout_not_at_rest_waits_even_when_the_members_read_report_the_new_release() =>
        Assert.IsType<FcvAction.Wait>(Next("8.0.5", "7.0", Binaries("8.0.5", "8.0.5", "8.0.5"), steady: false));

    [Theory]
    [InlineData("8.0.5", "8.0")]
    [InlineData("7.0.14", "7.0")]
    public void Fcv_at_the_declared_release_is_steady_and_a_patch_change_needs_nothing(string declared, string fcv) =>
        Assert.IsType<FcvAction.Steady>(Next(declared, fcv, Binaries("x", "y", "z"), steady: false));

    [Fact]
    public void An_unfinished_transition_is_finished_by_raising_again() =>
        Assert.Equal("8.0", Assert.IsType<FcvAction.Raise>(Next("8.0.5", "7.0", Binaries("8.0.5", "8.0.5", "8.0.5"), target: "8.0")).Version);

    [Fact]
    public void A_declared_version_below_fcv_is_refused_and_blocks_any_rollout()
    {
        var refused = Assert.IsType<FcvAction.Refused>(Next("7.0.14", "8.0", Binaries("8.0.5", "8.0.5", "8.0.5")));

        Assert.Contains("spec.version 7.0.14 is below featureCompatibilityVersion 8.0", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(refused.Reason, FcvPlanner.Blocks("7.0.14", "8.0"));
        Assert.Null(FcvPlanner.Blocks("8.0.5", "7.0"));
        Assert.Null(FcvPlanner.Blocks("8.0.5", null));
    }

    [Fact]
    public void Unread_fcv_waits_and_is_due()
    {
        Assert.IsType<FcvAction.Wait>(Next("8.0.5", null, Binaries("8.0.5", "8.0.5", "8.0.5")));
        Assert.True(FcvPlanner.Due(null, "8.0.5"));
        Assert.True(FcvPlanner.Due("7.0", "8.0.5"));
        Assert.False(FcvPlanner.Due("8.0", "8.0.5"));
    }

    // Over every small state: a raise happens only at rest with every member on the declared release, always to that
    // release, never below the current FCV.
    [Fact]
    public void No_state_raises_fcv_before_every_member_runs_the_declared_release()
    {
        string?[] versions = [null, "7.0.12", "8.0.5"];
        string?[] fcvs = [null, "7.0", "8.0"];
        var states = from declared in new[] { "7.0.14", "8.0.5" }
                     from fcv in fcvs
                     from steady in new[] { false, true }
                     from a in versions
                     from b in versions
                     from c in versions
                     select (declared, fcv, steady, members: new[] { a, b, c });
        var raised = 0;
        foreach (var (declared, fcv, steady, members) in states)
        {
            if (Next(declared, fcv, Binaries(members), steady) is not FcvAction.Raise raise) continue;
            raised++;
            Assert.True(steady);
            Assert.All(members, v => Assert.Equal(FcvPlanner.ReleaseOf(declared), FcvPlanner.ReleaseOf(v)));
            Assert.Equal(FcvPlanner.ReleaseOf(declared), raise.Version);
            Assert.True(string.CompareOrdinal(raise.Version, fcv) > 0);
        }
        Assert.Equal(1, raised); // 8.0.5 over FCV 7.0, all three members on 8.0
    }
}
