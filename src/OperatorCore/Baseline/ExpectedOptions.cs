using HipaaMongo.Operator.Baseline.Yaml;

namespace HipaaMongo.Operator.Baseline;

/// <summary>How a live option is judged against the baseline.</summary>
public enum Expectation
{
    /// <summary>The live value must equal the rendered one.</summary>
    Equals,

    /// <summary>The option must be absent, or equal to the safe value.</summary>
    AbsentOrSafe,
}

/// <summary>One option the verifier reads from a running mongod (getCmdLineOpts.parsed / getParameter).</summary>
public sealed record ExpectedOption(string Path, object Value, Expectation Expectation, string? RuntimeParameter);

/// <summary>
/// What a running member must show, derived from the same sources as the rendered mongod.conf
/// (the config tree and <see cref="LockedOptions"/>), so rendering and verification cannot disagree
/// (secure-baseline.md 7.4). Secrets expanded at start-up (LDAP bind password) are not listed.
/// </summary>
public static class ExpectedOptions
{
    public static IReadOnlyList<ExpectedOption> For(BaselineModel model)
    {
        var runtime = LockedOptions.All.Concat(LockedOptions.Ldap)
            .Where(o => o.RuntimeParameter is not null)
            .ToDictionary(o => o.Path, o => o.RuntimeParameter);
        var rendered = MongodConfigRenderer.Build(model).Flatten()
            .Where(kv => !kv.Key.Contains(".queryPassword.", StringComparison.Ordinal))
            .Select(kv => new ExpectedOption(kv.Key, kv.Value, Expectation.Equals, RuntimeParameterFor(kv.Key, runtime)));
        var forbidden = LockedOptions.For(model.Edition)
            .Where(o => o.Kind == LockKind.AbsentOrSafe)
            .Select(o => new ExpectedOption(o.Path, o.Value, Expectation.AbsentOrSafe, o.RuntimeParameter));
        return rendered.Concat(forbidden).ToList();
    }

    // setParameter values are read back with getParameter under their own name.
    private static string? RuntimeParameterFor(string path, Dictionary<string, string?> locked) =>
        locked.TryGetValue(path, out var name) ? name
        : path.StartsWith("setParameter.", StringComparison.Ordinal) ? path["setParameter.".Length..]
        : null;
}
