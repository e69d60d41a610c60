using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>replSetInitiate/GetConfig/GetStatus/Reconfig/StepDown and the default read/write concern.</summary>
internal static class ReplCommands
{
    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec { Name = "replSetInitiate", AdminOnly = true, ClusterAction = "replSetConfigure", LocalhostException = true, Handler = CommandSpec.Sync(Initiate) };
        yield return new CommandSpec { Name = "replSetReconfig", AdminOnly = true, ClusterAction = "replSetConfigure", LocalhostException = true, Handler = CommandSpec.Sync(Reconfig) };
        yield return new CommandSpec { Name = "replSetGetStatus", AdminOnly = true, ClusterAction = "replSetGetStatus", LocalhostException = true, Handler = CommandSpec.Sync(Status) };
        yield return new CommandSpec { Name = "replSetGetConfig", AdminOnly = true, ClusterAction = "replSetGetConfig", Handler = CommandSpec.Sync(GetConfig) };
        yield return new CommandSpec { Name = "replSetStepDown", AdminOnly = true, ClusterAction = "replSetStateChange", Handler = CommandSpec.Sync(StepDown) };
        yield return new CommandSpec { Name = "getDefaultRWConcern", AdminOnly = true, ClusterAction = "getDefaultRWConcern", Handler = CommandSpec.Sync(GetRW) };
        yield return new CommandSpec { Name = "setDefaultRWConcern", AdminOnly = true, ClusterAction = "setDefaultRWConcern", PrimaryOnly = true, Handler = CommandSpec.Sync(SetRW) };
    }

    private static BsonDocument Initiate(CommandContext ctx)
    {
        ctx.State.Repl.Initiate(ctx.Argument as BsonDocument);
        return [];
    }

    private static BsonDocument Reconfig(CommandContext ctx)
    {
        var cfg = ctx.Argument as BsonDocument
            ?? throw new CommandException(ErrorCodes.TypeMismatch, "replSetReconfig argument must be an object");
        ctx.State.Repl.Reconfig(cfg, ctx.Command.GetValue("force", false).ToBoolean());
        ctx.AuditEvent("replSetReconfig", new BsonDocument { { "new", ctx.State.Repl.Config! } });
        return [];
    }

    private static BsonDocument GetConfig(CommandContext ctx)
    {
        ctx.State.Repl.RequireConfig();
        return new BsonDocument("config", ctx.State.Repl.Config!.DeepClone());
    }

    private static BsonDocument StepDown(CommandContext ctx)
    {
        var secs = ctx.Argument.IsNumeric ? ctx.Argument.ToInt32() : 60;
        var catchUp = ctx.Command.GetValue("secondaryCatchUpPeriodSecs", 10).ToInt32();
        ctx.State.Repl.StepDown(secs, catchUp, ctx.Command.GetValue("force", false).ToBoolean());
        return [];
    }

    private static BsonDocument Status(CommandContext ctx)
    {
        var repl = ctx.State.Repl;
        repl.RequireConfig();
        var now = ctx.State.Clock.GetUtcNow();
        var optime = new BsonDocument { { "ts", new BsonTimestamp((int)now.ToUnixTimeSeconds(), 1) }, { "t", repl.Term } };
        var members = new BsonArray();
        var voters = 0;
        foreach (var m in repl.Config!["members"].AsBsonArray.Select(v => v.AsBsonDocument))
        {
            voters += m["votes"].ToInt32() > 0 ? 1 : 0;
            members.Add(MemberStatus(ctx, m, optime));
        }

        return new BsonDocument
        {
            { "set", repl.SetName },
            { "date", now.UtcDateTime },
            { "myState", (int)repl.State },
            { "term", repl.Term },
            { "syncSourceHost", "" },
            { "syncSourceId", -1 },
            { "heartbeatIntervalMillis", 2000L },
            { "majorityVoteCount", voters / 2 + 1 },
            { "writeMajorityCount", voters / 2 + 1 },
            { "votingMembersCount", voters },
            { "writableVotingMembersCount", voters },
            { "optimes", new BsonDocument { { "lastCommittedOpTime", optime }, { "appliedOpTime", optime }, { "durableOpTime", optime } } },
            { "members", members },
        };
    }

    private static BsonDocument MemberStatus(CommandContext ctx, BsonDocument m, BsonDocument optime)
    {
        var repl = ctx.State.Repl;
        var host = m["host"].AsString;
        var self = repl.SelfNames.Contains(host, StringComparer.OrdinalIgnoreCase);
        var (up, memberState) = self ? (true, repl.State) : repl.PeerState(host);
        var (state, name) = ((int)memberState, MemberStates.Name(memberState));
        var doc = new BsonDocument
        {
            { "_id", m["_id"] },
            { "name", host },
            { "health", up ? 1.0 : 0.0 },
            { "state", state },
            { "stateStr", name },
            { "uptime", (int)(ctx.State.Clock.GetUtcNow() - ctx.State.StartedAt).TotalSeconds },
            { "optime", optime },
            { "optimeDate", ctx.State.Clock.GetUtcNow().UtcDateTime },
            { "configVersion", repl.Config!["version"] },
            { "configTerm", repl.Term },
        };
        if (self)
        {
            doc["self"] = true;
        }
        else
        {
            doc["lastHeartbeat"] = ctx.State.Clock.GetUtcNow().UtcDateTime;
            doc["pingMs"] = 0L;
        }

        return doc;
    }

    private static BsonDocument GetRW(CommandContext ctx)
    {
        var set = ctx.State.DefaultRWConcern;
        var reply = new BsonDocument
        {
            { "defaultReadConcern", set?.GetValue("defaultReadConcern", BsonNull.Value) is BsonDocument r ? r : new BsonDocument("level", "local") },
            { "defaultWriteConcern", set?.GetValue("defaultWriteConcern", BsonNull.Value) is BsonDocument w ? w : new BsonDocument { { "w", "majority" }, { "wtimeout", 0 } } },
            { "defaultReadConcernSource", set?.Contains("defaultReadConcern") == true ? "global" : "implicit" },
            { "defaultWriteConcernSource", set?.Contains("defaultWriteConcern") == true ? "global" : "implicit" },
            { "localUpdateWallClockTime", ctx.State.Clock.GetUtcNow().UtcDateTime },
        };
        return reply;
    }

    private static BsonDocument SetRW(CommandContext ctx)
    {
        var next = ctx.State.DefaultRWConcern?.DeepClone().AsBsonDocument ?? [];
        var any = false;
        foreach (var field in new[] { "defaultReadConcern", "defaultWriteConcern" })
        {
            if (ctx.Command.GetValue(field, BsonNull.Value) is BsonDocument d)
            {
                next[field] = d;
                any = true;
            }
        }

        if (!any)
        {
            throw new CommandException(ErrorCodes.BadValue, "At least one of the \"defaultReadConcern\" or \"defaultWriteConcern\" fields must be present");
        }

        ctx.State.DefaultRWConcern = next;
        return GetRW(ctx);
    }
}
