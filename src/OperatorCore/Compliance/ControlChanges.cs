using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Compliance;

/// <summary>One control whose outcome changed between two evaluations (the source of an Event).</summary>
public sealed record ControlChange(string ControlId, Outcome? From, Outcome To, string Message)
{
    /// <summary>Warning for a control that now fails or can no longer be proven; Normal for a recovery.</summary>
    public bool IsWarning => To != Outcome.Pass;
}

/// <summary>Pure diff of two reports, so the reconciler emits one Event per control state change.</summary>
public static class ControlChanges
{
    /// <summary>The changes from <paramref name="before"/> (null on the first evaluation: every non-passing control).</summary>
    public static IReadOnlyList<ControlChange> Between(ComplianceReport? before, ComplianceReport after) =>
        Since(Outcomes(before), after);

    /// <summary>
    /// The changes from known earlier outcomes (a control absent from <paramref name="before"/> was not evaluated),
    /// e.g. outcomes derived from a stored status by <see cref="PreviousOutcomes"/> after a restart.
    /// </summary>
    public static IReadOnlyList<ControlChange> Since(IReadOnlyDictionary<string, Outcome> before, ComplianceReport after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return after.Controls
            .Select(c => (Result: c, From: before.TryGetValue(c.Control.Id, out var o) ? o : (Outcome?)null))
            .Where(x => x.From != x.Result.Outcome && !(x.From is null && x.Result.Outcome == Outcome.Pass))
            .Select(x => new ControlChange(x.Result.Control.Id, x.From, x.Result.Outcome, Message(x.Result, x.From)))
            .ToList();
    }

    /// <summary>Each control's outcome in <paramref name="report"/>; empty when there is none.</summary>
    public static IReadOnlyDictionary<string, Outcome> Outcomes(ComplianceReport? report) =>
        report?.Controls.ToDictionary(c => c.Control.Id, c => c.Outcome) ?? [];

    /// <summary>
    /// What a stored status.compliance proves about each control: the failing ids failed; when compliant, every
    /// control passed. Anything else is left out (not evaluated), so a restarted operator announces only
    /// changes it can tell apart from the stored state.
    /// </summary>
    public static IReadOnlyDictionary<string, Outcome> PreviousOutcomes(ComplianceSummary? stored)
    {
        var outcomes = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        if (stored is null)
        {
            return outcomes;
        }
        if (stored.Compliant == ComplianceState.True)
        {
            foreach (var control in ControlCatalogue.All)
            {
                outcomes[control.Id] = Outcome.Pass;
            }
        }
        foreach (var id in stored.Failing ?? [])
        {
            outcomes[id] = Outcome.Fail;
        }
        return outcomes;
    }

    private static string Message(ControlResult result, Outcome? from)
    {
        var head = $"{result.Control.Id} {result.Control.Title}: {Word(from)} -> {Word(result.Outcome)}";
        var evidence = result.Checks.Where(c => c.Outcome == result.Outcome).Select(c => c.Evidence).Distinct().ToList();
        return result.Outcome == Outcome.Pass || evidence.Count == 0 ? head + "." : $"{head} ({string.Join("; ", evidence)}).";
    }

    private static string Word(Outcome? outcome) => outcome switch
    {
        null => "not evaluated",
        Outcome.Pass => "passed",
        Outcome.Fail => "failed",
        _ => "unproven",
    };
}
