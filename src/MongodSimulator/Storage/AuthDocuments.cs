using HipaaMongo.MongodSimulator.Auth;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Storage;

/// <summary>
/// Users and roles as mongod stores them in admin.system.users and admin.system.roles (manual, "system.users
/// Collection" and "system.roles Collection"): _id "db.name", userId, user, db, credentials with the SCRAM-SHA-256
/// iterationCount/salt/storedKey/serverKey in base64 (or external: true), roles; role documents with privileges and
/// inherited roles. Never a password.
/// </summary>
internal static class AuthDocuments
{
    public static BsonDocument ToDocument(SimUser u)
    {
        var credentials = u.Scram is { } s
            ? new BsonDocument("SCRAM-SHA-256", new BsonDocument
            {
                { "iterationCount", s.Iterations },
                { "salt", Convert.ToBase64String(s.Salt) },
                { "storedKey", Convert.ToBase64String(s.StoredKey) },
                { "serverKey", Convert.ToBase64String(s.ServerKey) },
            })
            : new BsonDocument("external", true);
        var doc = new BsonDocument
        {
            { "_id", u.Key },
            { "userId", new BsonBinaryData(u.UserId, GuidRepresentation.Standard) },
            { "user", u.Name },
            { "db", u.Db },
            { "credentials", credentials },
            { "roles", new BsonArray(u.Roles.Select(r => r.ToBson())) },
        };
        if (u.CustomData is not null)
        {
            doc["customData"] = u.CustomData;
        }

        return doc;
    }

    public static SimUser UserFrom(BsonDocument d)
    {
        var scram = d["credentials"].AsBsonDocument.GetValue("SCRAM-SHA-256", BsonNull.Value) as BsonDocument;
        return new SimUser
        {
            Db = d["db"].AsString,
            Name = d["user"].AsString,
            UserId = d["userId"].AsBsonBinaryData.ToGuid(GuidRepresentation.Standard),
            Roles = [.. d["roles"].AsBsonArray.Select(r => RoleFrom(r.AsBsonDocument))],
            CustomData = d.GetValue("customData", BsonNull.Value) as BsonDocument,
            Scram = scram is null ? null : ScramCredential.Restore(Convert.FromBase64String(scram["salt"].AsString),
                scram["iterationCount"].ToInt32(), Convert.FromBase64String(scram["storedKey"].AsString),
                Convert.FromBase64String(scram["serverKey"].AsString)),
        };
    }

    public static BsonDocument ToDocument(SimRole r) => new()
    {
        { "_id", $"{r.Id.Db}.{r.Id.Role}" },
        { "role", r.Id.Role },
        { "db", r.Id.Db },
        { "privileges", new BsonArray(r.Privileges.Select(p => p.ToBson())) },
        { "roles", new BsonArray(r.Roles.Select(x => x.ToBson())) },
    };

    public static SimRole RoleDocumentFrom(BsonDocument d) => new()
    {
        Id = new RoleRef(d["role"].AsString, d["db"].AsString),
        Privileges = [.. d["privileges"].AsBsonArray.Select(p => p.AsBsonDocument).Select(p => new Privilege(
            ResourcePattern.FromBson(p["resource"].AsBsonDocument),
            p["actions"].AsBsonArray.Select(a => a.AsString).ToHashSet(StringComparer.Ordinal)))],
        Roles = [.. d["roles"].AsBsonArray.Select(x => RoleFrom(x.AsBsonDocument))],
    };

    private static RoleRef RoleFrom(BsonDocument d) => new(d["role"].AsString, d["db"].AsString);
}
