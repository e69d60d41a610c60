using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reconciliation.Status;

/// <summary>
/// Pure: which control changes deserve an Event, and what the next pass compares with (stored in the cluster, in
/// the pass record, so a restarted operator compares with the same thing). Creation is quiet: a control never
/// proven is not remembered, so being unproven is not announced and its first proof is not a recovery. A proven
/// control that becomes unproven is announced and remembered AS unproven, so its later proof (a member back after a
/// restart) is announced as passed, and a failure after it as failed.
/// </summary>
public static class ControlAnnouncements
{
    public sealed record Result(IReadOnlyList<ControlChange> Changes, IReadOnlyDictionary<string, Outcome> Remember);

    public static Result Plan(IReadOnlyDictionary<string, Outcome> before, ComplianceReport after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = ControlChanges.Since(before, after).Where(c => !(c.From is null && c.To == Outcome.Unknown)).ToList();
        var remember = after.Controls
            .Where(c => c.Outcome != Outcome.Unknown || before.ContainsKey(c.Control.Id))
            .ToDictionary(c => c.Control.Id, c => c.Outcome, StringComparer.Ordinal);
        return new Result(changes, remember);
    }

    /// <summary>The passed and failed outcomes of <paramref name="outcomes"/> (an unproven control is not known).</summary>
    public static IReadOnlyDictionary<string, Outcome> Known(IReadOnlyDictionary<string, Outcome> outcomes) =>
        outcomes.Where(o => o.Value != Outcome.Unknown).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
}
