using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// The databases whose custom roles are read besides admin. rolesInfo: 1 lists only the roles of the database it runs
/// on and has no forAllDBs (manual, rolesInfo), so it runs once per database: every database listDatabases names, plus
/// every database a user's or role's grant names (role definitions live in admin.system.roles, so a role's database
/// need not hold data and listDatabases does not list it). Excluded: admin (read separately), local and $external
/// (mongod refuses createRole there: "Cannot create roles in the local/$external database", user_management_commands.cpp)
/// and config, which the verifier's {db: "", collection: ""} resource does not cover (the "any normal resource" pattern
/// excludes local and config).
/// </summary>
public static class RoleDatabases
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "admin", "local", "config", "$external", "" };

    /// <summary>listed: listDatabases names (may be empty); usersInfo/adminRoles: replies whose grants name databases.</summary>
    public static IReadOnlyList<string> For(IEnumerable<string> listed, BsonDocument? usersInfo, BsonDocument? adminRoles)
    {
        ArgumentNullException.ThrowIfNull(listed);
        var granted = Grants(usersInfo, "users").Concat(Grants(adminRoles, "roles"));
        return [.. listed.Concat(granted).Where(db => !Skipped.Contains(db)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    // users[].roles[].db and roles[].roles[].db; anything malformed is simply not a database name.
    private static IEnumerable<string> Grants(BsonDocument? reply, string listField) =>
        (BsonRead.Array(BsonRead.At(reply, listField)) ?? [])
            .OfType<BsonDocument>()
            .SelectMany(e => BsonRead.Array(BsonRead.At(e, "roles")) ?? [])
            .OfType<BsonDocument>()
            .Select(r => BsonRead.String(BsonRead.At(r, "db")))
            .OfType<string>();
}
