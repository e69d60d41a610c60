namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>What the last verification of one resource was run against, and whether it must be proven again soon.</summary>
public sealed record VerificationHistory(DateTimeOffset VerifiedAt, long? Generation, string PodSignature, bool ProveAgain);

/// <summary>
/// Pure scheduling of member verification: due at once when never verified, when the generation or the pod set
/// changed; soon (<c>proveDelay</c>) after a verification that corrected something or rotated certificates, to
/// prove the correction held; otherwise one verification interval after the last.
/// </summary>
public static class VerificationSchedule
{
    public static DateTimeOffset NextDue(VerificationHistory? last, long? generation, string podSignature, TimeSpan interval, TimeSpan proveDelay)
    {
        ArgumentNullException.ThrowIfNull(podSignature);
        if (last is null || last.Generation != generation || last.PodSignature != podSignature)
        {
            return DateTimeOffset.MinValue;
        }
        return last.VerifiedAt + (last.ProveAgain && proveDelay < interval ? proveDelay : interval);
    }

    public static bool IsDue(DateTimeOffset now, VerificationHistory? last, long? generation, string podSignature, TimeSpan interval, TimeSpan proveDelay) =>
        now >= NextDue(last, generation, podSignature, interval, proveDelay);
}
