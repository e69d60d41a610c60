using HipaaMongo.MongodSimulator.Commands;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>Fills a requested replica-set config into the shape replSetGetConfig returns (defaults per the manual).</summary>
internal static class ReplConfigShape
{
    public static BsonDocument Normalise(BsonDocument requested, string setName, int? version, long term)
    {
        if (requested.GetValue("_id", BsonNull.Value) is not BsonString id || id.Value != setName)
        {
            throw new CommandException(ErrorCodes.InvalidReplicaSetConfig,
                $"Attempting to initiate a replica set with name {requested.GetValue("_id", "")}, but command line reports {setName}; rejecting");
        }

        if (requested.GetValue("members", BsonNull.Value) is not BsonArray members || members.Count == 0)
        {
            throw new CommandException(ErrorCodes.InvalidReplicaSetConfig, "Replica set configuration contains no members");
        }

        var settings = requested.GetValue("settings", new BsonDocument()).AsBsonDocument;
        return new BsonDocument
        {
            { "_id", setName },
            { "version", version ?? requested.GetValue("version", 1).ToInt32() },
            { "term", term },
            { "members", new BsonArray(members.Select(Member)) },
            { "protocolVersion", 1L },
            { "writeConcernMajorityJournalDefault", true },
            { "settings", new BsonDocument
                {
                    { "chainingAllowed", settings.GetValue("chainingAllowed", true) },
                    { "heartbeatIntervalMillis", settings.GetValue("heartbeatIntervalMillis", 2000) },
                    { "heartbeatTimeoutSecs", settings.GetValue("heartbeatTimeoutSecs", 10) },
                    { "electionTimeoutMillis", settings.GetValue("electionTimeoutMillis", 10000) },
                    { "catchUpTimeoutMillis", settings.GetValue("catchUpTimeoutMillis", -1) },
                    { "catchUpTakeoverDelayMillis", settings.GetValue("catchUpTakeoverDelayMillis", 30000) },
                    { "getLastErrorModes", new BsonDocument() },
                    { "getLastErrorDefaults", new BsonDocument { { "w", 1 }, { "wtimeout", 0 } } },
                    { "replicaSetId", settings.GetValue("replicaSetId", ObjectId.GenerateNewId()) },
                }
            },
        };
    }

    private static BsonDocument Member(BsonValue v)
    {
        if (v is not BsonDocument m || !m.TryGetValue("host", out var host) || !host.IsString || !m.TryGetValue("_id", out var id) || !id.IsNumeric)
        {
            throw new CommandException(ErrorCodes.InvalidReplicaSetConfig, "Replica set member must have a numeric _id and a host string");
        }

        // mongod's MemberConfig: an electable member must vote (member_config.cpp, "priority must be 0 when
        // non-voting (votes:0)", BadValue), so a member joins non-voting only with priority 0.
        if (m.GetValue("votes", 1).ToInt32() == 0 && m.GetValue("priority", 1.0).ToDouble() != 0)
        {
            throw new CommandException(ErrorCodes.BadValue, "priority must be 0 when non-voting (votes:0)");
        }

        return new BsonDocument
        {
            { "_id", id.ToInt32() },
            { "host", host.AsString },
            { "arbiterOnly", m.GetValue("arbiterOnly", false) },
            { "buildIndexes", m.GetValue("buildIndexes", true) },
            { "hidden", m.GetValue("hidden", false) },
            { "priority", m.GetValue("priority", 1.0).ToDouble() },
            { "tags", m.GetValue("tags", new BsonDocument()) },
            { "secondaryDelaySecs", m.GetValue("secondaryDelaySecs", 0L).ToInt64() },
            { "votes", m.GetValue("votes", 1).ToInt32() },
        };
    }
}
