using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reconciliation.Status;

/// <summary>
/// Pure: which control changes deserve an Event, and what to remember for next time. A control that has never
/// had a known outcome and is merely unproven (members not verified yet) is not announced and not remembered,
/// so creation is quiet and its first proof is not a "recovery"; a control that was proven and becomes unproven
/// is announced, and so is its recovery.
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
            .Where(c => !(c.Outcome == Outcome.Unknown && !before.ContainsKey(c.Control.Id)))
            .ToDictionary(c => c.Control.Id, c => c.Outcome, StringComparer.Ordinal);
        return new Result(changes, remember);
    }
}
