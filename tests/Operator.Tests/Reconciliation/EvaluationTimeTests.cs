using HipaaMongo.Entities;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Reconciliation.Evidence;
using HipaaMongo.Operator.Reconciliation.Verification;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// A pass reads the clock once when it gathers, then reads the members: the evaluation must be as of the last read,
/// or every member read in the pass counts as "later than the evaluation time (clock skew)" and each verification
/// announces its controls unproven.
/// </summary>
public sealed class EvaluationTimeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

    private static MemberVerification Read(string pod, DateTimeOffset at) => new(pod, at, true, null, MemberRole.Secondary, null, null, [], []);

    private static MemberStepResult Step(VerificationState state, params MemberVerification[] members) =>
        new(new VerificationRun(state), new LastVerification(new VerificationHistory(Start, 1, "pods", false), members),
            new Dictionary<string, IReadOnlyList<string>>());

    [Fact]
    public void Members_read_in_this_pass_set_the_evaluation_time_to_the_last_read()
    {
        var step = Step(VerificationState.Verified, Read("phi-db-0", Start.AddMilliseconds(40)), Read("phi-db-1", Start.AddMilliseconds(90)));

        Assert.Equal(Start.AddMilliseconds(90), PassPlanner.EvaluatedAt(Start, step));
    }

    [Fact]
    public void Reads_of_an_earlier_pass_leave_the_start_so_a_clock_ahead_is_still_caught()
    {
        var ahead = Step(VerificationState.NotDue, Read("phi-db-0", Start.AddMinutes(5)));
        var older = Step(VerificationState.Verified, Read("phi-db-0", Start.AddSeconds(-1)));

        Assert.Equal(Start, PassPlanner.EvaluatedAt(Start, ahead));
        Assert.Equal(Start, PassPlanner.EvaluatedAt(Start, older));
    }
}
