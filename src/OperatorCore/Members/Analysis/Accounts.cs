using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>A user or custom role found outside the declared set, named "db.name", with the roles it holds.</summary>
internal sealed record Account(string Name, IReadOnlyList<string> Roles);

/// <summary>
/// Reads usersInfo ({users: [{_id, user, db, roles: [{role, db}]}]}) and rolesInfo ({roles: [{role, db,
/// isBuiltin, roles}]}) replies. Only names and role grants are read; credentials are never requested or shown.
/// A malformed entry makes the whole list unread: an account we cannot name might be the one that matters.
/// </summary>
internal static class Accounts
{
    public static IReadOnlyList<Account>? UsersOutside(BsonDocument? usersInfo, MemberExpectations expected)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal)
        {
            $"$external.{expected.OperatorUser}",
            $"$external.{expected.VerifierUser}",
        };
        declared.UnionWith(expected.DeclaredUsers);
        return Outside(usersInfo, "users", "user", declared, _ => false);
    }

    public static IReadOnlyList<Account>? RolesOutside(BsonDocument? rolesInfo, MemberExpectations expected)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal) { $"admin.{expected.VerifierRole}", $"admin.{expected.OperatorRole}" };
        declared.UnionWith(expected.DeclaredRoles);
        declared.UnionWith(expected.LdapGroupRoles.Select(g => $"{LdapGroupRoles.Database}.{g.Group}"));
        return Outside(rolesInfo, "roles", "role", declared, e => BsonRead.Bool(BsonRead.At(e, "isBuiltin")) == true);
    }

    /// <summary>
    /// Custom roles outside the declared set over admin's rolesInfo and every other database's. Any database whose
    /// reply is missing or malformed makes the whole list unread: a role we could not see might be the one that matters.
    /// </summary>
    public static IReadOnlyList<Account>? RolesOutside(MemberSnapshot s, MemberExpectations expected)
    {
        var replies = new List<BsonDocument?> { s.RolesInfo };
        replies.AddRange(s.RolesInfoByDatabase?.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value) ?? []);
        var found = new List<Account>();
        foreach (var reply in replies)
        {
            if (RolesOutside(reply, expected) is not { } roles)
            {
                return null;
            }

            found.AddRange(roles);
        }

        return [.. found.DistinctBy(a => a.Name, StringComparer.Ordinal).OrderBy(a => a.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The declared $external users whose grants are not exactly their one declared admin role (secure-baseline.md
    /// 7.3): e.g. root granted out of band to the operator identity. Null when usersInfo was not read.
    /// </summary>
    public static IReadOnlyList<Account>? DeclaredWithOtherGrants(BsonDocument? usersInfo, MemberExpectations expected)
    {
        if (BsonRead.Array(BsonRead.At(usersInfo, "users")) is not { } entries)
        {
            return null;
        }

        var declared = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"$external.{expected.OperatorUser}"] = $"{expected.OperatorRole}@admin",
            [$"$external.{expected.VerifierUser}"] = $"{expected.VerifierRole}@admin",
        };
        var found = new List<Account>();
        foreach (var entry in entries)
        {
            if (entry is not BsonDocument e || Name(e, "user") is not { } name || Grants(e) is not { } roles)
            {
                return null;
            }

            if (declared.TryGetValue(name, out var role) && !(roles.Count == 1 && roles[0] == role))
            {
                found.Add(new Account(name, roles));
            }
        }

        return [.. found.OrderBy(a => a.Name, StringComparer.Ordinal)];
    }

    /// <summary>The declared role a declared user must hold, as it appears in <see cref="Account.Roles"/>.</summary>
    public static string DeclaredRoleOf(string user, MemberExpectations expected) =>
        user == $"$external.{expected.OperatorUser}" ? $"{expected.OperatorRole}@admin" : $"{expected.VerifierRole}@admin";

    public static string DeclaredUserSentence(Account a, MemberExpectations expected) =>
        $"declared user {a.Name} {Holds(a.Roles)}; it must hold exactly {DeclaredRoleOf(a.Name, expected)} "
        + "(not revoked automatically: changing a user's grants is an administrator decision)";

    public static string UserSentence(Account a) =>
        $"user {a.Name} {Holds(a.Roles)}, outside the declared set";

    public static string RoleSentence(Account a) =>
        $"custom role {a.Name} {(a.Roles.Count == 0 ? "exists" : "inherits " + string.Join(", ", a.Roles))}, outside the declared set";

    private static string Holds(IReadOnlyList<string> roles) =>
        roles.Count == 0 ? "holds no roles" : "holds " + string.Join(", ", roles);

    private static List<Account>? Outside(
        BsonDocument? reply, string listField, string nameField, HashSet<string> declared, Func<BsonDocument, bool> skip)
    {
        if (BsonRead.Array(BsonRead.At(reply, listField)) is not { } entries)
        {
            return null;
        }

        var found = new List<Account>();
        foreach (var entry in entries)
        {
            if (entry is not BsonDocument e || Name(e, nameField) is not { } name || Grants(e) is not { } roles)
            {
                return null;
            }

            if (!skip(e) && !declared.Contains(name))
            {
                found.Add(new Account(name, roles));
            }
        }

        return [.. found.OrderBy(a => a.Name, StringComparer.Ordinal)];
    }

    private static string? Name(BsonDocument e, string nameField) =>
        (BsonRead.String(BsonRead.At(e, "db")), BsonRead.String(BsonRead.At(e, nameField))) is ({ } db, { } n) ? $"{db}.{n}" : null;

    // A role held in the user's own database is shown by name, elsewhere as role@db (mongosh's notation).
    private static List<string>? Grants(BsonDocument e)
    {
        var owner = BsonRead.String(BsonRead.At(e, "db"));
        if (!e.TryGetValue("roles", out var value))
        {
            return [];
        }

        if (value is not BsonArray roles)
        {
            return null;
        }

        var names = new List<string>();
        foreach (var r in roles)
        {
            if (r is not BsonDocument d || BsonRead.String(BsonRead.At(d, "role")) is not { } role || BsonRead.String(BsonRead.At(d, "db")) is not { } db)
            {
                return null;
            }

            names.Add(db == owner ? role : $"{role}@{db}");
        }

        return names;
    }
}
