namespace HipaaMongo.Entities.Validation;

/// <summary>
/// spec.roles by meaning: every action is one mongod knows (action_type.idl), none grants everything, cluster-wide
/// or every-database reach only in a role declared administrative, inherited roles exist, no inheritance cycle.
/// </summary>
internal static class RoleRules
{
    private const string Path = "spec.roles";

    public const string AnyActionMessage = "anyAction grants every action on the resource and is refused: name the actions the role needs";

    public static void Check(List<CustomRoleSpec>? roles, ErrorList errors)
    {
        if (roles is null) return;
        var declared = new HashSet<(string, string)>();
        for (var i = 0; i < roles.Count; i++)
        {
            var path = $"{Path}[{i}]";
            var role = roles[i];
            if (CheckName(role, path, errors))
                errors.Check(declared.Add((role.Name, role.Db)), path + ".name", $"role {role.Name}@{role.Db} is declared twice");
            for (var p = 0; p < (role.Privileges?.Count ?? 0); p++)
                CheckPrivilege(role, role.Privileges![p], $"{path}.privileges[{p}]", errors);
        }

        for (var i = 0; i < roles.Count; i++)
            CheckInherited(roles[i], roles, $"{Path}[{i}]", errors);
        CheckCycles(roles, errors);
    }

    private static bool CheckName(CustomRoleSpec role, string path, ErrorList errors)
    {
        var ok = errors.Check(Names.IsRoleName(role.Name), path + ".name", "name must be a role name of letters, digits, '_', '.' and '-'")
            && errors.Check(!role.Name.StartsWith("__", StringComparison.Ordinal), path + ".name", "role names starting with '__' are mongod's own")
            && errors.Check(!BuiltinRoleNames.IsBuiltinName(role.Name), path + ".name", $"{role.Name} is a built-in role name: choose another name");
        return errors.Check(Names.IsDatabaseName(role.Db), path + ".db", "db must be a database name of letters, digits, '_' and '-'") && ok;
    }

    private static void CheckPrivilege(CustomRoleSpec role, RolePrivilege privilege, string path, ErrorList errors)
    {
        var resource = privilege.Resource ?? new PrivilegeResource();
        var cluster = resource.Cluster == true;
        if (!errors.Check(cluster != (resource.Db is not null), path + ".resource", "a resource is either {db, collection} or {cluster: true}"))
            return;
        if (cluster)
            errors.Check(role.Administrative, path + ".resource",
                "privileges on the cluster resource need a role declared administrative: true");
        else if (resource.Db == "")
            errors.Check(role.Administrative, path + ".resource.db",
                "db '' reaches every database (PHI included) and needs a role declared administrative: true");
        else
            errors.Check(Names.IsDatabaseName(resource.Db!), path + ".resource.db", "db must be a database name of letters, digits, '_' and '-', or ''");
        var actions = privilege.Actions ?? [];
        errors.Check(actions.Count > 0, path + ".actions", "at least one action is required");
        foreach (var action in actions)
        {
            if (action == "anyAction")
                errors.Add(path + ".actions", AnyActionMessage);
            else if (ActionTypes.Refused.Contains(action))
                errors.Add(path + ".actions", $"{action} is mongod's own action and cannot be granted");
            else
                errors.Check(ActionTypes.All.Contains(action), path + ".actions",
                    $"unknown action {action}: mongod's action list (src/mongo/db/auth/action_type.idl) has no such action");
        }
    }

    private static void CheckInherited(CustomRoleSpec role, List<CustomRoleSpec> all, string path, ErrorList errors)
    {
        var inherited = role.Roles ?? [];
        for (var j = 0; j < inherited.Count; j++)
        {
            var r = inherited[j];
            var at = $"{path}.roles[{j}]";
            if (r.Role.StartsWith("__", StringComparison.Ordinal))
                errors.Add(at + ".role", $"internal role {r.Role} cannot be inherited");
            else if (BuiltinRoleNames.IsPrivileged(r.Role, r.Db) || BuiltinRoleNames.IsBuiltin(r.Role, r.Db) && r.Role.StartsWith("cluster", StringComparison.Ordinal))
                errors.Check(role.Administrative, at + ".role", $"inheriting {r.Role}@{r.Db} needs a role declared administrative: true");
            else if (!BuiltinRoleNames.IsBuiltin(r.Role, r.Db))
                errors.Check(all.Any(c => c.Name == r.Role && c.Db == r.Db), at + ".role",
                    $"{r.Role}@{r.Db} is neither a built-in role nor declared in spec.roles");
        }
    }

    private static void CheckCycles(List<CustomRoleSpec> roles, ErrorList errors)
    {
        var byKey = roles.GroupBy(r => (r.Name, r.Db)).ToDictionary(g => g.Key, g => g.First());
        foreach (var start in byKey.Keys)
        {
            var seen = new HashSet<(string, string)>();
            var queue = new Queue<(string, string)>(Children(byKey, start));
            while (queue.TryDequeue(out var next))
            {
                if (next == start)
                {
                    errors.Add(Path, $"role {start.Name}@{start.Db} inherits itself");
                    break;
                }

                if (seen.Add(next))
                    foreach (var c in Children(byKey, next)) queue.Enqueue(c);
            }
        }
    }

    private static IEnumerable<(string, string)> Children(Dictionary<(string Name, string Db), CustomRoleSpec> byKey, (string, string) key) =>
        byKey.TryGetValue(key, out var role) ? (role.Roles ?? []).Select(r => (r.Role, r.Db)) : [];
}
