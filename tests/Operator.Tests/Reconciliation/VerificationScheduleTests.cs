using HipaaMongo.Operator.Reconciliation.Evidence;
using HipaaMongo.Operator.Reconciliation.Verification;

namespace HipaaMongo.Operator.Tests.Reconciliation;

public sealed class VerificationScheduleTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Prove = TimeSpan.FromSeconds(5);

    [Fact]
    public void Never_verified_is_due_at_once() =>
        Assert.True(VerificationSchedule.IsDue(At, null, 1, "pods", Interval, Prove));

    [Fact]
    public void Fresh_verification_is_due_one_interval_after_it_started_less_one_second_of_slack()
    {
        var last = new VerificationHistory(At, 1, "pods", ProveAgain: false);
        Assert.False(VerificationSchedule.IsDue(At + TimeSpan.FromSeconds(58.9), last, 1, "pods", Interval, Prove));
        Assert.True(VerificationSchedule.IsDue(At + TimeSpan.FromSeconds(59), last, 1, "pods", Interval, Prove));
    }

    [Fact]
    public void A_slow_pass_brings_the_next_one_forward_by_its_duration_so_each_member_is_read_within_the_interval()
    {
        var last = new VerificationHistory(At, 1, "pods", ProveAgain: false) { Duration = TimeSpan.FromSeconds(4) };

        Assert.Equal(At + TimeSpan.FromSeconds(55), VerificationSchedule.NextDue(last, 1, "pods", Interval, Prove));
    }

    [Fact]
    public void A_pass_longer_than_half_the_interval_still_leaves_half_the_interval_between_starts()
    {
        var last = new VerificationHistory(At, 1, "pods", ProveAgain: false) { Duration = TimeSpan.FromSeconds(50) };

        Assert.Equal(At + TimeSpan.FromSeconds(30), VerificationSchedule.NextDue(last, 1, "pods", Interval, Prove));
    }

    [Theory]
    [InlineData(2L, "pods")]
    [InlineData(1L, "other pods")]
    public void A_new_generation_or_pod_set_is_due_at_once(long generation, string pods)
    {
        var last = new VerificationHistory(At, 1, "pods", ProveAgain: false);
        Assert.True(VerificationSchedule.IsDue(At + TimeSpan.FromSeconds(1), last, generation, pods, Interval, Prove));
    }

    [Fact]
    public void A_correction_is_proven_by_a_prompt_reverification()
    {
        var last = new VerificationHistory(At, 1, "pods", ProveAgain: true);
        Assert.Equal(At + Prove, VerificationSchedule.NextDue(last, 1, "pods", Interval, Prove));
    }

    [Fact]
    public void The_prompt_delay_never_exceeds_the_interval()
    {
        var last = new VerificationHistory(At, 1, "pods", ProveAgain: true);
        // A 3 s interval is shorter than the 5 s prove delay: the ordinary schedule applies (3 s less 1 s of slack).
        Assert.Equal(At + TimeSpan.FromSeconds(2), VerificationSchedule.NextDue(last, 1, "pods", TimeSpan.FromSeconds(3), Prove));
    }
}
