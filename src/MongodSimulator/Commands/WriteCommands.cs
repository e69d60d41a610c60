using HipaaMongo.MongodSimulator.Data;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// insert, update and delete (manual, reference/command/insert|update|delete), each applied on the primary, replicated
/// to the secondaries as one oplog position, then acknowledged per write concern. Per-document failures are
/// writeErrors [{index, code, errmsg}] with ok: 1, as mongod reports them; ordered writes stop at the first one.
/// </summary>
internal static class WriteCommands
{
    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec { Name = "insert", PrimaryOnly = true, Authorize = CrudSupport.Requires("insert"), Handler = Insert };
        yield return new CommandSpec { Name = "update", PrimaryOnly = true, Authorize = AuthorizeUpdate, Handler = Update };
        yield return new CommandSpec { Name = "delete", PrimaryOnly = true, Authorize = CrudSupport.Requires("remove"), Handler = Delete };
    }

    // An update with upsert: true may insert, so it needs insert too (mongod's auth checks for update).
    private static void AuthorizeUpdate(CommandContext ctx)
    {
        var upsert = ctx.Command.GetValue("updates", new BsonArray()).AsBsonArray
            .Any(u => u is BsonDocument d && d.GetValue("upsert", false).ToBoolean());
        CrudSupport.Requires(upsert ? ["update", "insert"] : ["update"])(ctx);
    }

    private static async Task<BsonDocument> Insert(CommandContext ctx)
    {
        CrudSupport.RequireUserCollection(ctx);
        var ns = CrudSupport.Ns(ctx);
        var docs = ctx.Command.GetValue("documents", new BsonArray()).AsBsonArray.Select(v => v.AsBsonDocument).Select(WithId).ToList();
        var ordered = ctx.Command.GetValue("ordered", true).ToBoolean();
        var errors = new BsonArray();
        var inserted = new List<BsonDocument>();
        ctx.State.Data.Write(ns, list =>
        {
            for (var i = 0; i < docs.Count; i++)
            {
                if (list.Any(d => d["_id"].Equals(docs[i]["_id"])))
                {
                    errors.Add(new BsonDocument
                    {
                        { "index", i }, { "code", 11000 },
                        { "errmsg", $"E11000 duplicate key error collection: {ns} index: _id_ dup key: {{ _id: {docs[i]["_id"]} }}" },
                    });
                    if (ordered)
                    {
                        break;
                    }

                    continue;
                }

                list.Add(docs[i]);
                inserted.Add(docs[i].DeepClone().AsBsonDocument);
            }

            return 0;
        });
        ctx.State.Repl.ReplicateData(store => store.Write(ns, list =>
        {
            list.AddRange(inserted.Select(d => d.DeepClone().AsBsonDocument));
            return 0;
        }));
        var reply = new BsonDocument("n", inserted.Count);
        return await AcknowledgeAsync(ctx, reply, errors);
    }

    private static BsonDocument WithId(BsonDocument doc)
    {
        if (doc.Contains("_id"))
        {
            return doc.DeepClone().AsBsonDocument;
        }

        var copy = new BsonDocument("_id", ObjectId.GenerateNewId());
        copy.AddRange(doc);
        return copy;
    }

    private static async Task<BsonDocument> Update(CommandContext ctx)
    {
        CrudSupport.RequireUserCollection(ctx);
        var ns = CrudSupport.Ns(ctx);
        var (n, modified) = (0, 0);
        var upserted = new BsonArray();
        var errors = new BsonArray();
        var statements = ctx.Command.GetValue("updates", new BsonArray()).AsBsonArray.Select(v => v.AsBsonDocument).ToList();
        for (var i = 0; i < statements.Count; i++)
        {
            try
            {
                var (matched, changed, upsertedId, after) = UpdateOne(ctx, ns, statements[i]);
                (n, modified) = (n + matched + (upsertedId is null ? 0 : 1), modified + changed);
                if (upsertedId is not null)
                {
                    upserted.Add(new BsonDocument { { "index", i }, { "_id", upsertedId } });
                }

                ctx.State.Repl.ReplicateData(store => store.Write(ns, list => Replace(list, after)));
            }
            catch (CommandException e)
            {
                errors.Add(new BsonDocument { { "index", i }, { "code", e.Code }, { "errmsg", e.Message } });
                if (ctx.Command.GetValue("ordered", true).ToBoolean())
                {
                    break;
                }
            }
        }

        var reply = new BsonDocument { { "n", n }, { "nModified", modified } };
        if (upserted.Count > 0)
        {
            reply["upserted"] = upserted;
        }

        return await AcknowledgeAsync(ctx, reply, errors);
    }

    private static (int Matched, int Changed, BsonValue? UpsertedId, List<BsonDocument> After) UpdateOne(CommandContext ctx, string ns, BsonDocument statement)
    {
        var filter = statement.GetValue("q", new BsonDocument()).AsBsonDocument;
        var update = statement.GetValue("u", BsonNull.Value) as BsonDocument
            ?? throw new CommandException(ErrorCodes.TypeMismatch, "Update argument must be an object (pipeline updates are not simulated)");
        var multi = statement.GetValue("multi", false).ToBoolean();
        if (multi && !UpdateApplier.IsOperatorUpdate(update))
        {
            throw new CommandException(ErrorCodes.InvalidOptions, "multi update is not supported for replacement-style update");
        }

        return ctx.State.Data.Write(ns, list =>
        {
            var after = new List<BsonDocument>();
            var (matched, changed) = (0, 0);
            for (var j = 0; j < list.Count && (multi || matched == 0); j++)
            {
                if (!QueryMatcher.Matches(list[j], filter))
                {
                    continue;
                }

                matched++;
                var next = UpdateApplier.Apply(list[j], update);
                changed += next.Equals(list[j]) ? 0 : 1;
                list[j] = next;
                after.Add(next.DeepClone().AsBsonDocument);
            }

            if (matched == 0 && statement.GetValue("upsert", false).ToBoolean())
            {
                var doc = UpdateApplier.Upserted(filter, update);
                list.Add(doc);
                after.Add(doc.DeepClone().AsBsonDocument);
                return (0, 0, doc["_id"], after);
            }

            return (matched, changed, (BsonValue?)null, after);
        });
    }

    // The oplog carries the document as it is after the update, keyed by _id (idempotent on the secondaries).
    private static int Replace(List<BsonDocument> list, List<BsonDocument> after)
    {
        foreach (var doc in after)
        {
            var at = list.FindIndex(d => d["_id"].Equals(doc["_id"]));
            if (at >= 0)
            {
                list[at] = doc.DeepClone().AsBsonDocument;
            }
            else
            {
                list.Add(doc.DeepClone().AsBsonDocument);
            }
        }

        return 0;
    }

    private static async Task<BsonDocument> Delete(CommandContext ctx)
    {
        CrudSupport.RequireUserCollection(ctx);
        var ns = CrudSupport.Ns(ctx);
        var removed = new List<BsonValue>();
        foreach (var statement in ctx.Command.GetValue("deletes", new BsonArray()).AsBsonArray.Select(v => v.AsBsonDocument))
        {
            var filter = statement.GetValue("q", new BsonDocument()).AsBsonDocument;
            var limit = statement.GetValue("limit", 0).ToInt32();
            removed.AddRange(ctx.State.Data.Write(ns, list =>
            {
                var hits = list.Where(d => QueryMatcher.Matches(d, filter)).Take(limit == 1 ? 1 : int.MaxValue).ToList();
                list.RemoveAll(hits.Contains);
                return hits.Select(d => d["_id"]).ToList();
            }));
        }

        ctx.State.Repl.ReplicateData(store => store.Write(ns, list => list.RemoveAll(d => removed.Contains(d["_id"]))));
        return await AcknowledgeAsync(ctx, new BsonDocument("n", removed.Count), []);
    }

    private static async Task<BsonDocument> AcknowledgeAsync(CommandContext ctx, BsonDocument reply, BsonArray errors)
    {
        if (errors.Count > 0)
        {
            reply["writeErrors"] = errors;
        }

        await WriteConcern.AwaitAsync(ctx, reply);
        return reply;
    }
}
