using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Users.Planning;

namespace HipaaMongo.Operator.Users.Review;

/// <summary>One principal that can remove, drop or rewrite records in a PHI database, and through which role.</summary>
public sealed record PhiAccessFinding(string Principal, string Kind, string Database, IReadOnlyList<string> Actions, string Via)
{
    public override string ToString() => $"{Kind} {Principal} can {string.Join(", ", Actions)} in {Database} (via {Via})";
}

/// <summary>
/// The access review, pure: every user and custom role that can remove, drop or update in a PHI database (the
/// "billers who can delete records" finding). Built-in roles by their privileges in mongod's
/// src/mongo/db/auth/builtin_roles.yml (docs/users.md), custom roles by their declared or observed privileges,
/// each through its inherited roles.
/// </summary>
public static class PhiAccessReview
{
    public static IReadOnlyList<PhiAccessFinding> Review(
        IReadOnlyList<string> phiDatabases, IReadOnlyList<RoleModel> customRoles, IReadOnlyList<ObservedUser> users)
    {
        var custom = customRoles.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.First());
        var findings = new List<PhiAccessFinding>();
        foreach (var db in phiDatabases.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            foreach (var role in customRoles.OrderBy(r => r.Name.ToString(), StringComparer.Ordinal))
                Add(findings, role.Name.ToString(), "role", db, [role.Name], custom);
            foreach (var user in users.OrderBy(u => u.ToString(), StringComparer.Ordinal))
                Add(findings, user.ToString(), "user", db, user.Roles, custom);
        }

        return findings;
    }

    /// <summary>The databases of phiNamespaces entries (patients.records counts as patients: a role reaches the database).</summary>
    public static IReadOnlyList<string> Databases(IEnumerable<string>? phiNamespaces) =>
        [.. (phiNamespaces ?? []).Select(n => n.Split('.')[0]).Distinct(StringComparer.Ordinal)];

    private static void Add(List<PhiAccessFinding> findings, string principal, string kind, string db, IEnumerable<RoleName> roles,
        Dictionary<RoleName, RoleModel> custom)
    {
        var reach = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var role in roles)
            foreach (var (action, via) in Destructive(role, db, custom, []))
            {
                if (!reach.TryGetValue(via, out var set)) reach[via] = set = new SortedSet<string>(StringComparer.Ordinal);
                set.Add(action);
            }

        foreach (var (via, actions) in reach)
            findings.Add(new PhiAccessFinding(principal, kind, db, [.. actions], via));
    }

    private static IEnumerable<(string Action, string Via)> Destructive(RoleName role, string db, Dictionary<RoleName, RoleModel> custom, HashSet<RoleName> seen)
    {
        if (!seen.Add(role)) yield break;
        foreach (var action in BuiltinDestructive(role, db))
            yield return (action, role.ToString());
        if (!custom.TryGetValue(role, out var model)) yield break;
        foreach (var p in model.Privileges.Where(p => !p.Cluster && (p.Db == db || p.Db == "")))
            foreach (var a in p.Actions.Where(ActionTypes.Destructive.Contains))
                yield return (a, role.ToString());
        foreach (var parent in model.Roles)
            foreach (var hit in Destructive(parent, db, custom, seen))
                yield return hit;
    }

    private static IEnumerable<string> BuiltinDestructive(RoleName role, string db) => BuiltinRoleNames.DestructiveActions(role.Role, role.Db, db);
}
