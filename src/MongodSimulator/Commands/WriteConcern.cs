using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// Write concern on a replica-set member (manual, "Write Concern"): the command's writeConcern, else the cluster-wide
/// default (setDefaultRWConcern), else the implicit {w: "majority"}. The reply waits until that many members have
/// applied the write (the majority is writeMajorityCount: half the voters plus one); with wtimeout it gives up after
/// that many milliseconds and reports writeConcernError {code: 64 WriteConcernFailed, errInfo: {wtimeout: true}}
/// while the write itself stays done; more members than exist is UnsatisfiableWriteConcern 100.
/// </summary>
internal static class WriteConcern
{
    public static async Task AwaitAsync(CommandContext ctx, BsonDocument reply, BsonValue? forcedW = null)
    {
        var repl = ctx.State.Repl;
        if (repl.SetName is null || repl.Config is null)
        {
            return;
        }

        var wc = ctx.Command.GetValue("writeConcern", BsonNull.Value) as BsonDocument
            ?? ctx.State.DefaultRWConcern?.GetValue("defaultWriteConcern", BsonNull.Value) as BsonDocument
            ?? new BsonDocument("w", "majority");
        var w = forcedW ?? wc.GetValue("w", "majority");
        var needed = w.IsString ? repl.WriteMajorityCount : w.ToInt32();
        if (needed > repl.Config["members"].AsBsonArray.Count)
        {
            throw new CommandException(100, "Not enough data-bearing nodes");
        }

        var position = repl.LastApplied;
        var timeout = wc.GetValue("wtimeout", 0).ToInt32();
        var started = Environment.TickCount64;
        while (repl.MembersWithApplied(position) < needed)
        {
            if (timeout > 0 && Environment.TickCount64 - started >= timeout)
            {
                reply["writeConcernError"] = new BsonDocument
                {
                    { "code", 64 }, { "codeName", "WriteConcernFailed" }, { "errmsg", "waiting for replication timed out" },
                    { "errInfo", new BsonDocument { { "wtimeout", true }, { "writeConcern", wc } } },
                };
                return;
            }

            await Task.Delay(20, ctx.Cancellation);
        }
    }
}
