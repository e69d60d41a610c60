using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Auth;

/// <summary>A privilege resource: the cluster, one database (Db), every normal database (Db == ""), or anything.</summary>
public sealed record ResourcePattern(bool Cluster, string? Db, bool AnyResource = false)
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

        return Db == target.Db || (Db == "" && target.Db is not ("local" or "config"));
    }

    public BsonDocument ToBson() => AnyResource
        ? new BsonDocument("anyResource", true)
        : Cluster ? new BsonDocument("cluster", true) : new BsonDocument { { "db", Db ?? "" }, { "collection", "" } };

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

        return doc.TryGetValue("db", out var db) && db.IsString
            ? Database(db.AsString)
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
