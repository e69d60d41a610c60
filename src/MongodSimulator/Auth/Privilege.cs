using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Auth;

/// <summary>
/// A privilege resource: the cluster, one database (Db), every normal database (Db == ""), or anything; with
/// <see cref="Collection"/> one collection of it ({db, collection}). A pattern without a collection (collection "")
/// covers the database and its normal collections but not its system.* collections (manual, "Resource Document").
/// </summary>
public sealed record ResourcePattern(bool Cluster, string? Db, bool AnyResource = false, string? Collection = null)
{
    public static ResourcePattern ClusterResource { get; } = new(true, null);

    public static ResourcePattern Database(string db) => new(false, db);

    public bool Covers(ResourcePattern target)
    {
        if (AnyResource)
        {
            return true;
        }

        if (Cluster || target.Cluster)
        {
            return Cluster && target.Cluster;
        }

        var dbCovered = Db == target.Db || (Db == "" && target.Db is not ("local" or "config"));
        if (string.IsNullOrEmpty(Collection))
        {
            return dbCovered && !(target.Collection?.StartsWith("system.", StringComparison.Ordinal) ?? false);
        }

        return dbCovered && Collection == target.Collection;
    }

    /// <summary>One collection of one database, the resource of a CRUD command.</summary>
    public static ResourcePattern Namespace(string db, string collection) => new(false, db, false, collection);

    public BsonDocument ToBson() => AnyResource
        ? new BsonDocument("anyResource", true)
        : Cluster ? new BsonDocument("cluster", true) : new BsonDocument { { "db", Db ?? "" }, { "collection", Collection ?? "" } };

    public static ResourcePattern FromBson(BsonDocument doc)
    {
        if (doc.TryGetValue("cluster", out var c) && c.ToBoolean())
        {
            return ClusterResource;
        }

        if (doc.TryGetValue("anyResource", out var a) && a.ToBoolean())
        {
            return new ResourcePattern(false, null, true);
        }

        var collection = doc.GetValue("collection", "") is BsonString { Value.Length: > 0 } named ? named.Value : null;
        return doc.TryGetValue("db", out var db) && db.IsString
            ? new ResourcePattern(false, db.AsString, false, collection)
            : throw new ArgumentException("resource must name cluster or db");
    }
}

/// <summary>A set of actions on one resource.</summary>
public sealed record Privilege(ResourcePattern Resource, IReadOnlySet<string> Actions)
{
    public BsonDocument ToBson() => new()
    {
        { "resource", Resource.ToBson() },
        { "actions", new BsonArray(Actions.Order(StringComparer.Ordinal)) },
    };
}

/// <summary>A reference to a role (name, database).</summary>
public sealed record RoleRef(string Role, string Db)
{
    public BsonDocument ToBson() => new() { { "role", Role }, { "db", Db } };
}
