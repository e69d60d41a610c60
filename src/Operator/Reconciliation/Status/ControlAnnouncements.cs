using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reconciliation.Status;

/// <summary>
/// Pure: which control changes deserve an Event, and what the next pass compares with. Only known outcomes (passed,
/// failed) are kept, exactly what the stored evidence record shows of them, so a restarted operator that reads the
/// record compares with the same thing as one that kept it in memory. Creation is quiet (an unproven control that
/// was never known is not announced, and its first proof is not a recovery); a proven control that becomes
/// unproven is announced once; its later proof is not announced (it was unproven, not failed).
/// </summary>
public static class ControlAnnouncements
{
    public sealed record Result(IReadOnlyList<ControlChange> Changes, IReadOnlyDictionary<string, Outcome> Remember);

    public static Result Plan(IReadOnlyDictionary<string, Outcome> before, ComplianceReport after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var known = Known(before);
        var changes = ControlChanges.Since(known, after).Where(c => !(c.From is null && c.To == Outcome.Unknown)).ToList();
        return new Result(changes, Known(ControlChanges.Outcomes(after)));
    }

    /// <summary>The passed and failed outcomes of <paramref name="outcomes"/> (an unproven control is not known).</summary>
    public static IReadOnlyDictionary<string, Outcome> Known(IReadOnlyDictionary<string, Outcome> outcomes) =>
        outcomes.Where(o => o.Value != Outcome.Unknown).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
}
