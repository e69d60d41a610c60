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
    public void Fresh_verification_is_not_due_until_the_interval_elapsed()
    {
        var last = new VerificationHistory(At, 1, "pods", ProveAgain: false);
        Assert.False(VerificationSchedule.IsDue(At + TimeSpan.FromSeconds(59), last, 1, "pods", Interval, Prove));
        Assert.True(VerificationSchedule.IsDue(At + Interval, last, 1, "pods", Interval, Prove));
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
        Assert.Equal(At + TimeSpan.FromSeconds(3), VerificationSchedule.NextDue(last, 1, "pods", TimeSpan.FromSeconds(3), Prove));
    }
}
