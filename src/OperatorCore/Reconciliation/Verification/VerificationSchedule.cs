using HipaaMongo.Operator.Reconciliation.Evidence;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>
/// Pure scheduling of member verification: due at once when never verified, when the generation or the pod set
/// changed; soon (<c>proveDelay</c>) after a verification that corrected something or rotated certificates, to
/// prove the correction held; otherwise one interval after the last one started, less that pass's duration and a
/// second of slack (at most half the interval): a member is then read again within one interval of its last read,
/// so drift lasts at most one interval although a pass takes time and waits for a worker.
/// </summary>
public static class VerificationSchedule
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    public static DateTimeOffset NextDue(VerificationHistory? last, long? generation, string podSignature, TimeSpan interval, TimeSpan proveDelay)
    {
        ArgumentNullException.ThrowIfNull(podSignature);
        if (last is null || last.Generation != generation || last.PodSignature != podSignature)
        {
            return DateTimeOffset.MinValue;
        }
        if (last.ProveAgain && proveDelay < interval)
        {
            return last.VerifiedAt + proveDelay;
        }
        var early = last.Duration + Slack;
        return last.VerifiedAt + interval - (early < interval / 2 ? early : interval / 2);
    }

    public static bool IsDue(DateTimeOffset now, VerificationHistory? last, long? generation, string podSignature, TimeSpan interval, TimeSpan proveDelay) =>
        now >= NextDue(last, generation, podSignature, interval, proveDelay);
}
