using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// create, drop, dropDatabase and listCollections (manual, reference/command/*), replicated like writes. create on
/// an existing collection is NamespaceExists 48; drop of a missing collection succeeds (mongod 7.0 and later);
/// listCollections answers a cursor on "db.$cmd.listCollections".
/// </summary>
internal static class CollectionCommands
{
    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec { Name = "create", PrimaryOnly = true, Authorize = CrudSupport.Requires("createCollection"), Handler = Create };
        yield return new CommandSpec { Name = "drop", PrimaryOnly = true, Authorize = CrudSupport.Requires("dropCollection"), Handler = Drop };
        yield return new CommandSpec { Name = "dropDatabase", PrimaryOnly = true, Authorize = CrudSupport.RequiresOnDatabase("dropDatabase"), Handler = DropDatabase };
        yield return new CommandSpec { Name = "listCollections", Authorize = CrudSupport.RequiresOnDatabase("listCollections"), Handler = CommandSpec.Sync(ListCollections) };
    }

    private static async Task<BsonDocument> Create(CommandContext ctx)
    {
        CrudSupport.RequireUserCollection(ctx);
        var ns = CrudSupport.Ns(ctx);
        if (!ctx.State.Data.Create(ns))
        {
            throw new CommandException(48, $"Collection {ns} already exists.");
        }

        ctx.State.Repl.ReplicateData(store => store.Create(ns));
        var reply = new BsonDocument();
        await WriteConcern.AwaitAsync(ctx, reply);
        return reply;
    }

    private static async Task<BsonDocument> Drop(CommandContext ctx)
    {
        CrudSupport.RequireUserCollection(ctx);
        var ns = CrudSupport.Ns(ctx);
        var existed = ctx.State.Data.Drop(ns);
        ctx.State.Repl.ReplicateData(store => store.Drop(ns));
        var reply = existed ? new BsonDocument { { "nIndexesWas", 1 }, { "ns", ns } } : [];
        await WriteConcern.AwaitAsync(ctx, reply);
        return reply;
    }

    private static async Task<BsonDocument> DropDatabase(CommandContext ctx)
    {
        if (ctx.Db is "admin" or "local" or "config")
        {
            throw new CommandException(ErrorCodes.IllegalOperation, $"Dropping the '{ctx.Db}' database is prohibited.");
        }

        ctx.State.Data.DropDatabase(ctx.Db);
        ctx.State.Repl.ReplicateData(store => store.DropDatabase(ctx.Db));
        var reply = new BsonDocument("dropped", ctx.Db);
        await WriteConcern.AwaitAsync(ctx, reply);
        return reply;
    }

    private static BsonDocument ListCollections(CommandContext ctx)
    {
        var filter = ctx.Command.GetValue("filter", BsonNull.Value) as BsonDocument ?? [];
        var nameOnly = ctx.Command.GetValue("nameOnly", false).ToBoolean();
        var batch = new BsonArray(ctx.State.Data.Collections(ctx.Db)
            .Select(name => nameOnly
                ? new BsonDocument { { "name", name }, { "type", "collection" } }
                : new BsonDocument
                {
                    { "name", name }, { "type", "collection" }, { "options", new BsonDocument() },
                    { "info", new BsonDocument { { "readOnly", false } } },
                    { "idIndex", new BsonDocument { { "v", 2 }, { "key", new BsonDocument("_id", 1) }, { "name", "_id_" } } },
                })
            .Where(d => Data.QueryMatcher.Matches(d, filter)));
        return new BsonDocument("cursor", new BsonDocument { { "id", 0L }, { "ns", $"{ctx.Db}.$cmd.listCollections" }, { "firstBatch", batch } });
    }
}
