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

    // replSetGetStatus as TopologyCoordinator::prepareStatusResponse builds it (src/mongo/db/repl/topology_coordinator.cpp):
    // the self row from this member's own state; every other row from what this member last learned of that peer by
    // heartbeat (MemberData, member_data.h), never from the peer itself.
    private static BsonDocument Status(CommandContext ctx)
    {
        var repl = ctx.State.Repl;
        repl.RequireConfig();
        var now = ctx.State.Clock.GetUtcNow();
        var members = new BsonArray();
        var voters = 0;
        foreach (var m in repl.Config!["members"].AsBsonArray.Select(v => v.AsBsonDocument))
        {
            voters += m["votes"].ToInt32() > 0 ? 1 : 0;
            var self = repl.SelfNames.Contains(m["host"].AsString, StringComparer.OrdinalIgnoreCase);
            members.Add(self ? SelfStatus(ctx, m) : PeerStatus(ctx, m));
        }

        var applied = repl.LastAppliedOpTime;
        var state = repl.State;
        var reply = new BsonDocument
        {
            { "set", repl.SetName },
            { "date", now.UtcDateTime },
            { "myState", (int)state },
            { "term", repl.Term },
        };
        AppendSyncSource(reply, repl, state == MemberState.Primary ? "" : repl.SyncSource);
        reply.AddRange(new BsonDocument
        {
            { "heartbeatIntervalMillis", (long)repl.Config["settings"]["heartbeatIntervalMillis"].ToInt32() },
            { "majorityVoteCount", voters / 2 + 1 },
            { "writeMajorityCount", voters / 2 + 1 },
            { "votingMembersCount", voters },
            { "writableVotingMembersCount", voters },
            { "optimes", new BsonDocument
                {
                    { "lastCommittedOpTime", repl.LastCommitted.ToBson() },
                    { "appliedOpTime", applied.ToBson() },
                    { "durableOpTime", applied.ToBson() },
                    { "lastAppliedWallTime", repl.LastAppliedWall },
                    { "lastDurableWallTime", repl.LastAppliedWall },
                }
            },
            { "members", members },
        });
        return reply;
    }

    private static BsonDocument SelfStatus(CommandContext ctx, BsonDocument m)
    {
        var repl = ctx.State.Repl;
        var state = repl.State;
        var applied = repl.LastAppliedOpTime;
        var doc = new BsonDocument
        {
            { "_id", m["_id"] },
            { "name", m["host"] },
            { "health", 1.0 },
            { "state", (int)state },
            { "stateStr", MemberStates.Name(state) },
            { "uptime", (int)(ctx.State.Clock.GetUtcNow() - ctx.State.StartedAt).TotalSeconds },
            { "optime", applied.ToBson() },
            { "optimeDate", applied.Date },
            { "lastAppliedWallTime", repl.LastAppliedWall },
            { "lastDurableWallTime", repl.LastAppliedWall },
        };
        AppendSyncSource(doc, repl, state == MemberState.Primary ? "" : repl.SyncSource);
        doc["infoMessage"] = "";
        if (state == MemberState.Primary)
        {
            doc["electionTime"] = repl.ElectionTime.Ts;
            doc["electionDate"] = repl.ElectionTime.Date;
        }

        doc["configVersion"] = Number(repl.Config!["version"].ToInt64());
        doc["configTerm"] = Number(repl.Config.GetValue("term", -1L).ToInt64());
        doc["self"] = true;
        doc["lastHeartbeatMessage"] = "";
        return doc;
    }

    // A peer's row: health -1/0/1, its state as last reported (DOWN 8 with "(not reachable/healthy)" when health is 0),
    // optime and optimeDurable from the last heartbeat reply (null after a missed one), wall times and config
    // version/term as last known.
    private static BsonDocument PeerStatus(CommandContext ctx, BsonDocument m)
    {
        var repl = ctx.State.Repl;
        var data = repl.HeartbeatData(m["host"].AsString);
        var now = ctx.State.Clock.GetUtcNow();
        var response = data.Response;
        var applied = response?.Applied ?? OpTime.Null;
        var durable = response?.Durable ?? OpTime.Null;
        var doc = new BsonDocument
        {
            { "_id", m["_id"] },
            { "name", m["host"] },
            { "health", data.Health },
            { "state", (int)data.State },
            { "stateStr", data.Health == 0 ? "(not reachable/healthy)" : MemberStates.Name(data.State) },
            { "uptime", data.UpSince is { } up ? (int)(now - up).TotalSeconds : 0 },
            { "optime", applied.ToBson() },
            { "optimeDurable", durable.ToBson() },
            { "optimeDate", applied.Date },
            { "optimeDurableDate", durable.Date },
            { "lastAppliedWallTime", data.LastAppliedWall },
            { "lastDurableWallTime", data.LastDurableWall },
            { "lastHeartbeat", data.LastHeartbeat?.UtcDateTime ?? DateTime.UnixEpoch },
            { "lastHeartbeatRecv", data.LastHeartbeatRecv?.UtcDateTime ?? DateTime.UnixEpoch },
            { "pingMs", 0L },
            { "lastHeartbeatMessage", data.LastHeartbeatMessage },
        };
        AppendSyncSource(doc, repl, data.State == MemberState.Primary ? "" : response?.SyncSource ?? "");
        doc["infoMessage"] = "";
        if (data.State == MemberState.Primary && response is not null)
        {
            doc["electionTime"] = response.ElectionTime.Ts;
            doc["electionDate"] = response.ElectionTime.Date;
        }

        doc["configVersion"] = Number(data.ConfigVersion);
        doc["configTerm"] = Number(data.ConfigTerm);
        return doc;
    }

    // BSONObjBuilder::appendNumber(long long): an int when it fits in 31 bits, else a long.
    private static BsonValue Number(long n) => Math.Abs(n) < 1L << 30 ? new BsonInt32((int)n) : new BsonInt64(n);

    private static void AppendSyncSource(BsonDocument doc, ReplState repl, string host)
    {
        doc["syncSourceHost"] = host;
        doc["syncSourceId"] = host.Length == 0 ? -1
            : repl.Config!["members"].AsBsonArray.FirstOrDefault(x => string.Equals(x["host"].AsString, host, StringComparison.OrdinalIgnoreCase))?["_id"].ToInt32() ?? -1;
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
