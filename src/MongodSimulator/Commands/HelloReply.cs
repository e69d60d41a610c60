using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>The hello/isMaster reply in mongod's field order (doc section 2.2).</summary>
internal static class HelloReply
{
    public static BsonDocument Build(CommandContext ctx)
    {
        var state = ctx.State;
        var repl = state.Repl;
        var legacy = ctx.Name != "hello";
        var reply = new BsonDocument();
        if (ctx.Command.GetValue("helloOk", false).ToBoolean())
        {
            reply["helloOk"] = true;
        }

        reply["topologyVersion"] = state.Topology.ToBson();
        var writableName = legacy ? "ismaster" : "isWritablePrimary";
        if (repl.SetName is not null && repl.Config is { } cfg)
        {
            AddReplicaFields(ctx, reply, cfg, writableName);
        }
        else if (repl.SetName is not null)
        {
            reply[writableName] = false;
            reply["secondary"] = false;
            reply["info"] = "Does not have a valid replica set config";
            reply["isreplicaset"] = true;
        }
        else
        {
            reply[writableName] = true;
        }

        reply["maxBsonObjectSize"] = 16777216;
        reply["maxMessageSizeBytes"] = 48000000;
        reply["maxWriteBatchSize"] = 100000;
        reply["localTime"] = state.Clock.GetUtcNow().UtcDateTime;
        reply["logicalSessionTimeoutMinutes"] = 30;
        reply["connectionId"] = ctx.Connection.Id;
        reply["minWireVersion"] = 0;
        reply["maxWireVersion"] = state.Profile.MaxWireVersion;
        reply["readOnly"] = false;
        if (ctx.Command.GetValue("saslSupportedMechs", BsonNull.Value) is BsonString mechs)
        {
            AddSaslMechs(ctx, reply, mechs.Value);
        }

        return reply;
    }

    private static void AddReplicaFields(CommandContext ctx, BsonDocument reply, BsonDocument cfg, string writableName)
    {
        var repl = ctx.State.Repl;
        var members = cfg["members"].AsBsonArray.Select(m => m.AsBsonDocument).ToList();
        var self = repl.SelfMember();
        bool Arbiter(BsonDocument m) => m["arbiterOnly"].ToBoolean();
        bool Hidden(BsonDocument m) => m["hidden"].ToBoolean();
        var hosts = members.Where(m => !Arbiter(m) && !Hidden(m) && m["priority"].ToDouble() > 0).Select(m => m["host"]);
        var passives = members.Where(m => !Arbiter(m) && !Hidden(m) && m["priority"].ToDouble() == 0).Select(m => m["host"]);
        var arbiters = members.Where(Arbiter).Select(m => m["host"]);
        reply["hosts"] = new BsonArray(hosts);
        if (passives.Any())
        {
            reply["passives"] = new BsonArray(passives);
        }

        if (arbiters.Any())
        {
            reply["arbiters"] = new BsonArray(arbiters);
        }

        reply["setName"] = repl.SetName;
        reply["setVersion"] = cfg["version"].ToInt32();
        var primary = repl.IsPrimary;
        reply[writableName] = primary;
        reply["secondary"] = !primary && repl.State == MemberState.Secondary;
        var primaryHost = primary ? repl.Me : members.Select(m => m["host"].AsString).FirstOrDefault(h => repl.PeerState(h).State == MemberState.Primary);
        if (primaryHost is not null)
        {
            reply["primary"] = primaryHost;
        }

        if (self is not null && Hidden(self))
        {
            reply["hidden"] = true;
        }

        reply["me"] = repl.Me;
        if (primary)
        {
            reply["electionId"] = repl.ElectionId;
        }

        var ts = new BsonTimestamp((int)ctx.State.Clock.GetUtcNow().ToUnixTimeSeconds(), 1);
        var opTime = new BsonDocument { { "ts", ts }, { "t", repl.Term } };
        var date = ctx.State.Clock.GetUtcNow().UtcDateTime;
        reply["lastWrite"] = new BsonDocument
        {
            { "opTime", opTime }, { "lastWriteDate", date }, { "majorityOpTime", opTime }, { "majorityWriteDate", date },
        };
    }

    private static void AddSaslMechs(CommandContext ctx, BsonDocument reply, string userKey)
    {
        var dot = userKey.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return;
        }

        var user = ctx.State.Users.FindUser(userKey[..dot], userKey[(dot + 1)..]);
        if (user?.Scram is not null)
        {
            reply["saslSupportedMechs"] = new BsonArray { "SCRAM-SHA-256" };
        }
    }
}
