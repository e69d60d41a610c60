namespace HipaaMongo.Entities.Validation;

/// <summary>
/// Least privilege as policy, pure (the time is an argument): which of a user's declared roles it may hold now,
/// given its HipaaMongo's custom roles and its break-glass. A refusal leaves the user Stalled with the message.
/// </summary>
public static class UserPolicy
{
    public static UserPolicyDecision Decide(HipaaMongoUserSpec user, HipaaMongoSpec cluster, DateTimeOffset now)
    {
        var custom = (cluster.Roles ?? []).ToDictionary(r => (r.Name, r.Db));
        var unknown = user.Roles.Where(r => !BuiltinRoleNames.IsBuiltin(r.Role, r.Db) && !custom.ContainsKey((r.Role, r.Db))).ToList();
        if (unknown.Count > 0)
            return UserPolicyDecision.Refuse("RoleNotDeclared",
                $"{Join(unknown)} {(unknown.Count == 1 ? "is" : "are")} neither built-in nor declared in the HipaaMongo's spec.roles");

        var privileged = user.Roles.Where(r => IsPrivileged(r, custom, [])).ToList();
        var ordinary = user.Roles.Except(privileged).ToList();
        if (privileged.Count == 0)
            return new(ordinary, [], null, null, BreakGlassState.None);
        if (user.BreakGlass is not { } glass)
            return UserPolicyDecision.Refuse("PrivilegedRoleRefused",
                $"{Join(privileged)} {(privileged.Count == 1 ? "is" : "are")} refused by least-privilege policy (every database or the server): " +
                "grant database roles, or declare spec.breakGlass with a reason and an expiry for emergency access");
        var expiry = new DateTimeOffset(DateTime.SpecifyKind(glass.Expiry, DateTimeKind.Utc));
        if (expiry <= now)
            return new(ordinary, privileged, null, expiry, BreakGlassState.Expired);
        if (expiry - now > HipaaMongoUserValidator.MaxBreakGlass)
            return UserPolicyDecision.Refuse("BreakGlassTooLong",
                $"breakGlass expiry {expiry:O} is more than 7 days away: emergency access is time-boxed to at most 7 days");
        return new([.. ordinary, .. privileged], privileged, null, expiry, BreakGlassState.Active);
    }

    /// <summary>A privileged built-in role, or a custom role that inherits one.</summary>
    internal static bool IsPrivileged(DatabaseRole role, Dictionary<(string, string), CustomRoleSpec> custom, HashSet<(string, string)> seen)
    {
        if (BuiltinRoleNames.IsPrivileged(role.Role, role.Db)) return true;
        if (!seen.Add((role.Role, role.Db)) || !custom.TryGetValue((role.Role, role.Db), out var c)) return false;
        return (c.Privileges ?? []).Any(p => p.Actions.Contains("anyAction"))
            || (c.Roles ?? []).Any(r => IsPrivileged(r, custom, seen));
    }

    private static string Join(IEnumerable<DatabaseRole> roles) => string.Join(", ", roles.Select(r => $"{r.Role}@{r.Db}"));
}

public enum BreakGlassState
{
    None,
    Active,
    Expired,
}

/// <summary>The roles to hold now, the privileged among the declared ones, or why the user is refused.</summary>
public sealed record UserPolicyDecision(
    IReadOnlyList<DatabaseRole> Granted,
    IReadOnlyList<DatabaseRole> Privileged,
    string? Refusal,
    DateTimeOffset? BreakGlassExpiry,
    BreakGlassState BreakGlass,
    string? RefusalReason = null)
{
    public static UserPolicyDecision Refuse(string reason, string message) => new([], [], message, null, BreakGlassState.None, reason);
}
