using HipaaMongo.MongodSimulator.Data;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// find, getMore, killCursors, count and aggregate (manual, reference/command/*): cursor replies
/// {cursor: {firstBatch|nextBatch, id, ns}}, a first batch of 101 documents by default, getMore by the cursor's
/// owner only (13 otherwise), an unknown cursor CursorNotFound 43. The read concern picks the documents read
/// (<see cref="CrudSupport.ReadStore"/>): "majority" reads only majority-committed writes.
/// </summary>
internal static class QueryCommands
{
    private const int DefaultFirstBatch = 101;

    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec { Name = "find", Authorize = CrudSupport.Requires("find"), Handler = CommandSpec.Sync(Find) };
        yield return new CommandSpec { Name = "getMore", Handler = CommandSpec.Sync(GetMore) };
        yield return new CommandSpec { Name = "killCursors", Handler = CommandSpec.Sync(KillCursors) };
        yield return new CommandSpec { Name = "count", Authorize = CrudSupport.Requires("find"), Handler = CommandSpec.Sync(Count) };
        yield return new CommandSpec { Name = "aggregate", Authorize = CrudSupport.Requires("find"), Handler = CommandSpec.Sync(Aggregate) };
    }

    private static BsonDocument Find(CommandContext ctx)
    {
        CrudSupport.RequireReadable(ctx);
        var ns = CrudSupport.Ns(ctx);
        var cmd = ctx.Command;
        var docs = QueryMatcher.Sort(
                CrudSupport.ReadStore(ctx).Scan(ns).Where(d => QueryMatcher.Matches(d, cmd.GetValue("filter", new BsonDocument()).AsBsonDocument)),
                cmd.GetValue("sort", BsonNull.Value) as BsonDocument)
            .Skip(cmd.GetValue("skip", 0).ToInt32());
        var limit = cmd.GetValue("limit", 0).ToInt32();
        if (limit > 0)
        {
            docs = docs.Take(limit);
        }

        var projection = cmd.GetValue("projection", BsonNull.Value) as BsonDocument;
        var projected = docs.Select(d => QueryMatcher.Project(d, projection)).ToList();
        var (batch, id) = ctx.State.Cursors.Open(ns, projected, CrudSupport.BatchSize(cmd.GetValue("batchSize", BsonNull.Value), DefaultFirstBatch),
            CrudSupport.Owner(ctx), cmd.GetValue("singleBatch", false).ToBoolean());
        return CursorReply("firstBatch", ns, batch, id);
    }

    private static BsonDocument GetMore(CommandContext ctx)
    {
        var id = ctx.Argument.IsNumeric ? ctx.Argument.ToInt64() : throw new CommandException(ErrorCodes.TypeMismatch, "getMore cursor id must be a long");
        var cursor = ctx.State.Cursors.Find(id) ?? throw new CommandException(43, $"cursor id {id} not found");
        if (cursor.Owner != CrudSupport.Owner(ctx))
        {
            throw new CommandException(ErrorCodes.Unauthorized, $"cursor id {id} was not created by the authenticated user");
        }

        var (batch, next) = ctx.State.Cursors.More(id, cursor, CrudSupport.BatchSize(ctx.Command.GetValue("batchSize", BsonNull.Value), 0));
        return CursorReply("nextBatch", cursor.Ns, batch, next);
    }

    private static BsonDocument KillCursors(CommandContext ctx)
    {
        var (killed, notFound) = (new BsonArray(), new BsonArray());
        foreach (var id in ctx.Command.GetValue("cursors", new BsonArray()).AsBsonArray.Select(v => v.ToInt64()))
        {
            var cursor = ctx.State.Cursors.Find(id);
            if (cursor is not null && cursor.Owner != CrudSupport.Owner(ctx))
            {
                throw new CommandException(ErrorCodes.Unauthorized, $"not authorized to kill cursor {id}");
            }

            (cursor is not null && ctx.State.Cursors.Kill(id) ? killed : notFound).Add(id);
        }

        return new BsonDocument
        {
            { "cursorsKilled", killed }, { "cursorsNotFound", notFound }, { "cursorsAlive", new BsonArray() }, { "cursorsUnknown", new BsonArray() },
        };
    }

    private static BsonDocument Count(CommandContext ctx)
    {
        CrudSupport.RequireReadable(ctx);
        var query = ctx.Command.GetValue("query", new BsonDocument()) as BsonDocument ?? [];
        var n = CrudSupport.ReadStore(ctx).Scan(CrudSupport.Ns(ctx)).Count(d => QueryMatcher.Matches(d, query)) - ctx.Command.GetValue("skip", 0).ToInt32();
        var limit = ctx.Command.GetValue("limit", 0).ToInt32();
        return new BsonDocument("n", Math.Max(0, limit > 0 ? Math.Min(n, limit) : n));
    }

    private static BsonDocument Aggregate(CommandContext ctx)
    {
        CrudSupport.RequireReadable(ctx);
        var ns = CrudSupport.Ns(ctx);
        var pipeline = ctx.Command.GetValue("pipeline", BsonNull.Value) as BsonArray
            ?? throw new CommandException(ErrorCodes.TypeMismatch, "'pipeline' option must be specified as an array");
        IEnumerable<BsonDocument> docs = CrudSupport.ReadStore(ctx).Scan(ns);
        foreach (var stage in pipeline.Select(s => s.AsBsonDocument))
        {
            docs = Pipeline.Apply(docs, stage);
        }

        var batchSize = (ctx.Command.GetValue("cursor", new BsonDocument()) as BsonDocument)?.GetValue("batchSize", BsonNull.Value) ?? BsonNull.Value;
        var (batch, id) = ctx.State.Cursors.Open(ns, docs.ToList(), CrudSupport.BatchSize(batchSize, DefaultFirstBatch), CrudSupport.Owner(ctx), false);
        return CursorReply("firstBatch", ns, batch, id);
    }

    private static BsonDocument CursorReply(string batchName, string ns, BsonArray batch, long id) =>
        new("cursor", new BsonDocument { { batchName, batch }, { "id", id }, { "ns", ns } });
}
