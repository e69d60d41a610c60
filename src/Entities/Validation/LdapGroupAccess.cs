namespace HipaaMongo.Entities.Validation;

/// <summary>One LDAP group whose mapped roles can remove, drop or rewrite records in a PHI database, and through which role.</summary>
public sealed record LdapGroupAccessFinding(string Group, string Database, IReadOnlyList<string> Actions, string Via)
{
    /// <summary>The status.phiAccess line: the group DN marked "(ldap group)", as a HipaaMongoUser's line names the user.</summary>
    public override string ToString() => $"{Group} (ldap group) can {string.Join(", ", Actions)} in {Database} (via {Via})";
}

/// <summary>
/// The PHI access review of spec.ldap.groupRoleMappings, pure: each group is a role in admin named after its DN that
/// inherits the mapped roles (docs/ldap.md), so every member of the group in the directory can do what those roles
/// can. Built-in roles by <see cref="BuiltinRoleNames.DestructiveActions"/>, custom roles of spec.roles by their
/// declared privileges (destructive actions on that database or on every database) and the roles they inherit.
/// </summary>
public static class LdapGroupAccess
{
    /// <summary>
    /// Why <paramref name="group"/> may not hold <paramref name="role"/>@<paramref name="db"/>: a group's members are whoever the
    /// directory says they are, with no expiry and no break-glass record, so it is refused what a HipaaMongoUser is
    /// refused without spec.breakGlass (<see cref="BuiltinRoleNames.Privileged"/>, or a custom role that inherits one),
    /// and what needs an administrative role (the cluster* roles, an administrative custom role).
    /// </summary>
    public static string RefusedRoleMessage(string group, string role, string db) =>
        $"{role}@{db} is refused for LDAP group {group} by least-privilege policy (every database or the server): map database roles, " +
        "and grant emergency access with a HipaaMongoUser that declares spec.breakGlass (docs/ldap.md)";

    /// <summary>True when a group may not be mapped to <paramref name="role"/> (see <see cref="RefusedRoleMessage"/>).</summary>
    public static bool IsRefused(DatabaseRole role, IEnumerable<CustomRoleSpec>? customRoles)
    {
        ArgumentNullException.ThrowIfNull(role);
        var custom = (customRoles ?? []).GroupBy(r => (r.Name, r.Db)).ToDictionary(g => g.Key, g => g.First());
        return UserPolicy.IsPrivileged(role, custom, [])
            || (BuiltinRoleNames.IsBuiltin(role.Role, role.Db) && role.Role.StartsWith("cluster", StringComparison.Ordinal))
            || (custom.TryGetValue((role.Role, role.Db), out var c) && c.Administrative);
    }

    public static IReadOnlyList<LdapGroupAccessFinding> Review(HipaaMongoSpec? spec)
    {
        if (spec?.Ldap?.GroupRoleMappings is not { Count: > 0 } groups)
        {
            return [];
        }

        var custom = (spec.Roles ?? []).GroupBy(r => (r.Name, r.Db)).ToDictionary(g => g.Key, g => g.First());
        var databases = (spec.Audit?.PhiNamespaces ?? []).Select(n => n.Split('.')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var findings = new List<LdapGroupAccessFinding>();
        foreach (var db in databases)
        {
            foreach (var group in groups.OrderBy(g => g.Group, StringComparer.Ordinal))
            {
                var reach = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
                var seen = new HashSet<(string, string)>();
                foreach (var role in group.Roles ?? [])
                {
                    foreach (var (action, via) in Destructive(role.Role, role.Db, db, custom, seen))
                    {
                        if (!reach.TryGetValue(via, out var set))
                        {
                            reach[via] = set = new SortedSet<string>(StringComparer.Ordinal);
                        }
                        set.Add(action);
                    }
                }
                findings.AddRange(reach.Select(r => new LdapGroupAccessFinding(group.Group, db, [.. r.Value], r.Key)));
            }
        }
        return findings;
    }

    private static IEnumerable<(string Action, string Via)> Destructive(string role, string roleDb, string db,
        Dictionary<(string, string), CustomRoleSpec> custom, HashSet<(string, string)> seen)
    {
        if (!seen.Add((role, roleDb)))
        {
            yield break;
        }
        var via = $"{role}@{roleDb}";
        foreach (var action in BuiltinRoleNames.DestructiveActions(role, roleDb, db))
        {
            yield return (action, via);
        }
        if (!custom.TryGetValue((role, roleDb), out var model))
        {
            yield break;
        }
        foreach (var p in (model.Privileges ?? []).Where(p => p.Resource.Cluster != true && (p.Resource.Db == db || p.Resource.Db == "")))
        {
            foreach (var a in p.Actions.Where(ActionTypes.Destructive.Contains))
            {
                yield return (a, via);
            }
        }
        foreach (var parent in model.Roles ?? [])
        {
            foreach (var hit in Destructive(parent.Role, parent.Db, db, custom, seen))
            {
                yield return hit;
            }
        }
    }
}
