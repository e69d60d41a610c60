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
    public static IReadOnlyList<ControlChange> Between(ComplianceReport? before, ComplianceReport after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var previous = before?.Controls.ToDictionary(c => c.Control.Id, c => c.Outcome) ?? [];
        return after.Controls
            .Select(c => (Result: c, From: previous.TryGetValue(c.Control.Id, out var o) ? o : (Outcome?)null))
            .Where(x => x.From != x.Result.Outcome && !(x.From is null && x.Result.Outcome == Outcome.Pass))
            .Select(x => new ControlChange(x.Result.Control.Id, x.From, x.Result.Outcome, Message(x.Result, x.From)))
            .ToList();
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
