using System.Globalization;

namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>One member's binary as its buildInfo reports it (null: it did not answer).</summary>
public sealed record MemberBinary(string Pod, string? Version);

/// <summary>
/// What the featureCompatibilityVersion planner decides from: spec.version, the primary's getParameter
/// featureCompatibilityVersion ({version, targetVersion while an upgrade or downgrade is unfinished}), each member's
/// buildInfo version, how many members are declared, and whether the rollout is at rest (every member pod at the update
/// revision, SECONDARY or PRIMARY within the lag bound: <see cref="RolloutAction.Steady"/>).
/// </summary>
public sealed record FcvObservation(string DeclaredVersion, string? Fcv, string? TargetFcv, IReadOnlyList<MemberBinary> Binaries, int Declared,
    bool RolloutSteady);

/// <summary>The one next step about featureCompatibilityVersion.</summary>
public abstract record FcvAction(string Reason)
{
    /// <summary>FCV is spec.version's release: nothing to do.</summary>
    public sealed record Steady(string Why) : FcvAction(Why);

    /// <summary>Not yet: a member still runs another binary, or the rollout is not at rest.</summary>
    public sealed record Wait(string Why) : FcvAction(Why);

    /// <summary>setFeatureCompatibilityVersion on the primary (with confirm: true where the binary requires it).</summary>
    public sealed record Raise(string Version, bool Confirm, string Why) : FcvAction(Why);

    /// <summary>spec.version is below FCV: its binary would refuse the data files; the operator never lowers FCV.</summary>
    public sealed record Refused(string Why) : FcvAction(Why);
}

/// <summary>
/// Pure: when to raise featureCompatibilityVersion after a major upgrade (docs/rollouts.md, "Version upgrades"). The
/// manual's replica-set upgrade procedure (release notes "Upgrade a Replica Set to 8.0") raises FCV only after every
/// member runs the new binary; FCV decides which features may write data the previous binary cannot read, and once it
/// moved, a binary of the previous release refuses the data files at startup (feature_compatibility_version.cpp
/// initializeForStartup: "UPGRADE PROBLEM", exit 62). So:
/// <list type="number">
/// <item>FCV unread: wait. FCV equal to spec.version's release and no transition pending: steady.</item>
/// <item>spec.version below FCV: refused, never acted on (a downgrade once FCV has moved).</item>
/// <item>Otherwise FCV is raised to spec.version's release only when the rollout is at rest and every declared
/// member's buildInfo reports that release; an unfinished transition (targetVersion) is finished the same way, by
/// running the command again (the manual: "to complete the upgrade, rerun setFeatureCompatibilityVersion").</item>
/// <item>confirm: true from 7.0 on: set_feature_compatibility_version_command.cpp refuses an upgrade or downgrade
/// without it (7369100, behind requireConfirmInSetFcv in 7.0, unconditional in 8.0), and 6.0's IDL has no such field
/// ("BSON field 'setFeatureCompatibilityVersion.confirm' is an unknown field").</item>
/// </list>
/// </summary>
public static class FcvPlanner
{
    public static FcvAction Next(FcvObservation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var wanted = Release(o.DeclaredVersion);
        if (wanted is null) return new FcvAction.Wait($"spec.version {o.DeclaredVersion} names no release");
        if (o.Fcv is null) return new FcvAction.Wait("featureCompatibilityVersion was not read");
        if (o.Fcv == wanted.Value.Text && o.TargetFcv is null)
            return new FcvAction.Steady($"featureCompatibilityVersion is {o.Fcv}");
        if (Release(o.Fcv) is { } fcv && Compare(wanted.Value, fcv) < 0)
            return new FcvAction.Refused($"spec.version {o.DeclaredVersion} is below featureCompatibilityVersion {o.Fcv}: a {wanted.Value.Text} binary "
                + "refuses data files whose FCV was raised, and the operator never lowers FCV");
        var what = o.TargetFcv is null ? $"featureCompatibilityVersion {o.Fcv} is raised to {wanted.Value.Text}"
            : $"featureCompatibilityVersion {o.Fcv} (to {o.TargetFcv} unfinished) is brought to {wanted.Value.Text}";
        if (!o.RolloutSteady)
            return new FcvAction.Wait($"{what} once every member runs {o.DeclaredVersion} and serves");
        var behind = o.Binaries.Select(b => b.Version is null ? $"{b.Pod} did not answer buildInfo"
                : Release(b.Version)?.Text != wanted.Value.Text ? $"{b.Pod} runs {b.Version}" : null)
            .OfType<string>().ToList();
        if (o.Binaries.Count < o.Declared) behind.Add($"only {o.Binaries.Count} of {o.Declared} members were read");
        if (behind.Count > 0)
            return new FcvAction.Wait($"{what} once every member runs {wanted.Value.Text}: {string.Join(", ", behind)}");
        return new FcvAction.Raise(wanted.Value.Text, wanted.Value.Major >= 7, what);
    }

    /// <summary>
    /// Why spec.version must not be rolled at all (null when it may): its release is below the set's FCV, so each member
    /// restarted on it would refuse its data files. Checked before any pod is deleted.
    /// </summary>
    public static string? Blocks(string declaredVersion, string? fcv) =>
        Release(declaredVersion) is { } wanted && Release(fcv) is { } current && Compare(wanted, current) < 0
            ? Next(new FcvObservation(declaredVersion, fcv, null, [], 0, false)).Reason
            : null;

    /// <summary>Whether FCV may not be spec.version's release: never read, or another release.</summary>
    public static bool Due(string? storedFcv, string declaredVersion) => storedFcv is null || storedFcv != ReleaseOf(declaredVersion);

    /// <summary>The release ("8.0") of a version ("8.0.5"), or null when it is not MAJOR.MINOR[.PATCH...].</summary>
    public static string? ReleaseOf(string? version) => Release(version)?.Text;

    private static (int Major, int Minor, string Text)? Release(string? version)
    {
        var parts = (version ?? "").Split('.');
        return parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
                ? (major, minor, $"{major}.{minor}")
                : null;
    }

    private static int Compare((int Major, int Minor, string Text) a, (int Major, int Minor, string Text) b) =>
        a.Major != b.Major ? a.Major.CompareTo(b.Major) : a.Minor.CompareTo(b.Minor);
}
