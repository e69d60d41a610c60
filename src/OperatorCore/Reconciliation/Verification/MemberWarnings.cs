namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>
/// Pure: which member problems deserve a Warning now. A problem is announced once, and again only after it cleared
/// and came back. What was announced is the previous pass record's, so a restarted operator repeats none.
/// </summary>
public static class MemberWarnings
{
    public sealed record Result(IReadOnlyList<string> Fresh, IReadOnlyDictionary<string, IReadOnlyList<string>> Warned);

    /// <summary>The problems of <paramref name="scope"/> not in <paramref name="warned"/>, and the warned state with <paramref name="current"/> as the scope's.</summary>
    public static Result Plan(IReadOnlyDictionary<string, IReadOnlyList<string>> warned, string scope, IReadOnlyCollection<string> current)
    {
        ArgumentNullException.ThrowIfNull(warned);
        ArgumentNullException.ThrowIfNull(current);
        var before = warned.GetValueOrDefault(scope) ?? [];
        var next = new Dictionary<string, IReadOnlyList<string>>(warned, StringComparer.Ordinal);
        if (current.Count == 0)
        {
            next.Remove(scope);
        }
        else
        {
            next[scope] = [.. current.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
        return new Result([.. current.Where(p => !before.Contains(p, StringComparer.Ordinal))], next);
    }
}
