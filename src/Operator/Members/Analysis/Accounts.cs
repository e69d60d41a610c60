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
        return Outside(usersInfo, "users", "user", declared, _ => false);
    }

    public static IReadOnlyList<Account>? RolesOutside(BsonDocument? rolesInfo, MemberExpectations expected)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal) { $"admin.{expected.VerifierRole}", $"admin.{expected.OperatorRole}" };
        return Outside(rolesInfo, "roles", "role", declared, e => BsonRead.Bool(BsonRead.At(e, "isBuiltin")) == true);
    }

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
