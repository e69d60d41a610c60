using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Storage;

/// <summary>
/// What a member keeps on disk, by namespace as mongod names it: local.system.replset (the config),
/// local.replset.election (the term this member last voted in), local.oplog.rs's end (how far it has applied),
/// admin.system.users and admin.system.roles, admin.system.version (featureCompatibilityVersion), and every
/// collection's documents ("collections": {"db.coll": [...]}). Runtime
/// setParameter values are not here: mongod keeps them in memory only, and after a restart the config file wins.
/// </summary>
internal static class DurableState
{
    public static BsonDocument Capture(ServerState state)
    {
        var repl = state.Repl;
        var catalog = new BsonDocument
        {
            { "admin.system.users", new BsonArray(state.Users.AllUsers().Select(AuthDocuments.ToDocument)) },
            { "admin.system.roles", new BsonArray(state.Users.AllRoles().Select(AuthDocuments.ToDocument)) },
            { "admin.system.version", new BsonArray { new BsonDocument { { "_id", "featureCompatibilityVersion" },
                { "version", state.Parameters.Get("featureCompatibilityVersion")["version"] } } } },
            { "collections", state.Data.Snapshot() },
        };
        if (repl.Config is { } config)
        {
            catalog["local.system.replset"] = new BsonArray { config };
            catalog["local.replset.election"] = new BsonArray { new BsonDocument { { "_id", "election" }, { "term", repl.Term } } };
            catalog["local.oplog.rs"] = new BsonArray { new BsonDocument
            {
                { "_id", "last" }, { "applied", repl.LastApplied }, { "ts", repl.LastAppliedOpTime.Ts }, { "t", repl.LastAppliedOpTime.Term },
                { "wall", repl.LastAppliedWall },
            } };
        }

        return catalog;
    }

    /// <summary>Loads a catalog into a freshly built state (before it takes connections).</summary>
    public static void Apply(BsonDocument catalog, ServerState state)
    {
        state.Users.ReplaceAll(
            First(catalog, "admin.system.users").Select(AuthDocuments.UserFrom),
            First(catalog, "admin.system.roles").Select(AuthDocuments.RoleDocumentFrom));
        state.Data.Restore(catalog.GetValue("collections", new BsonDocument()).AsBsonDocument);
        if (First(catalog, "admin.system.version").FirstOrDefault() is { } fcv)
        {
            state.Parameters.Store("featureCompatibilityVersion", new BsonDocument("version", fcv["version"]));
        }

        if (First(catalog, "local.system.replset").FirstOrDefault() is { } config && state.Repl.SetName is not null)
        {
            var term = First(catalog, "local.replset.election").FirstOrDefault()?["term"].ToInt64() ?? 0;
            var last = First(catalog, "local.oplog.rs").FirstOrDefault();
            var applied = last?["applied"].ToInt64() ?? 0;
            var wall = last?.GetValue("wall", BsonNull.Value) is BsonDateTime w ? w.ToUniversalTime() : DateTime.UnixEpoch;
            state.Repl.Restore(config, term, applied, OpTime.FromBson(last), wall);
        }
    }

    private static IEnumerable<BsonDocument> First(BsonDocument catalog, string ns) =>
        catalog.GetValue(ns, new BsonArray()).AsBsonArray.Select(v => v.AsBsonDocument);
}
