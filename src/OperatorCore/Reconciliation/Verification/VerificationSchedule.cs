using HipaaMongo.Entities;
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

    /// <summary>The declared verification interval (spec.verification.intervalSeconds, at least a second; 60 by default).</summary>
    public static TimeSpan Interval(HipaaMongoResource resource) =>
        TimeSpan.FromSeconds(Math.Max(1, resource?.Spec.Verification.IntervalSeconds ?? 60));

    /// <summary>
    /// Whether the set is initiated: a member in a replica-set role in the last verification or in the status (only
    /// an initiated set reports Primary/Secondary).
    /// </summary>
    public static bool Bootstrapped(HipaaMongoResource resource, LastVerification? last) =>
        last?.Members.Any(m => m.Role is MemberRole.Primary or MemberRole.Secondary) == true
        || resource?.Status?.Members?.Any(m => m.Role is MemberRole.Primary or MemberRole.Secondary) == true;
}
