using MongoDB.Bson;

namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>
/// Pure: the scale planner's input from the primary's replSetGetConfig and replSetGetStatus replies, and the next
/// config document from a <see cref="ScaleAction.Reconfig"/>. Field names are mongod's (replSetGetConfig.config:
/// version, members[]._id/host/votes/priority; replSetGetStatus.members[]: name, health, stateStr, optime.ts,
/// configVersion). A member field the planner does not change (tags, hidden, secondaryDelaySecs, ...) and the
/// config's settings are kept as found.
/// </summary>
public static class ScaleReading
{
    /// <summary>The observation, or null when a reply lacks what the planner needs (never a guess).</summary>
    public static ScaleObservation? Observe(BsonDocument getConfigReply, BsonDocument getStatusReply, IReadOnlyList<string> ordinalHosts,
        int desiredMembers, long lagBoundSeconds)
    {
        ArgumentNullException.ThrowIfNull(getConfigReply);
        ArgumentNullException.ThrowIfNull(getStatusReply);
        if (getConfigReply.GetValue("config", BsonNull.Value) is not BsonDocument config
            || config.GetValue("members", BsonNull.Value) is not BsonArray members
            || getStatusReply.GetValue("members", BsonNull.Value) is not BsonArray status
            || !config.GetValue("version", BsonNull.Value).IsNumeric)
        {
            return null;
        }
        var configMembers = members.OfType<BsonDocument>().Select(ConfigMemberOf).ToList();
        var observed = status.OfType<BsonDocument>().Select(ObservedOf).ToList();
        return configMembers.Any(m => m is null) || observed.Any(m => m is null)
            ? null
            : new ScaleObservation(config["version"].ToInt32(), configMembers!, observed!, ordinalHosts, desiredMembers, lagBoundSeconds);
    }

    /// <summary>The config to send with replSetReconfig: the current one with the action's members and version.</summary>
    public static BsonDocument NextConfig(BsonDocument currentConfig, ScaleAction.Reconfig action)
    {
        ArgumentNullException.ThrowIfNull(currentConfig);
        ArgumentNullException.ThrowIfNull(action);
        var next = currentConfig.DeepClone().AsBsonDocument;
        var byId = (currentConfig.GetValue("members", BsonNull.Value) as BsonArray ?? []).OfType<BsonDocument>()
            .ToDictionary(m => m.GetValue("_id", -1).ToInt32());
        var members = new BsonArray();
        foreach (var m in action.Members)
        {
            var doc = byId.TryGetValue(m.Id, out var found) ? found.DeepClone().AsBsonDocument : new BsonDocument { { "_id", m.Id } };
            doc["host"] = m.Host;
            doc["votes"] = m.Votes;
            doc["priority"] = m.Priority;
            members.Add(doc);
        }
        next["members"] = members;
        next["version"] = action.Version;
        next.Remove("term"); // mongod sets the term of a non-forced reconfig itself
        return next;
    }

    private static ConfigMember? ConfigMemberOf(BsonDocument m) =>
        m.GetValue("_id", BsonNull.Value).IsNumeric && m.GetValue("host", BsonNull.Value) is BsonString host
            ? new ConfigMember(m["_id"].ToInt32(), host.Value, Number(m, "votes", 1), Number(m, "priority", 1.0))
            : null;

    private static ObservedMember? ObservedOf(BsonDocument m) =>
        m.GetValue("name", BsonNull.Value) is BsonString name
            ? new ObservedMember(name.Value, m.GetValue("stateStr", "UNKNOWN").ToString() ?? "UNKNOWN",
                m.GetValue("health", 0).IsNumeric && m["health"].ToDouble() >= 1, OptimeSeconds(m),
                m.GetValue("configVersion", BsonNull.Value).IsNumeric ? m["configVersion"].ToInt32() : -1, HeardAt(m))
            : null;

    // A date of the epoch is mongod's "never" (MemberData's default Date_t, as the simulator also writes it).
    private static readonly string[] HeartbeatFields = ["lastHeartbeat", "lastHeartbeatRecv"];

    private static DateTimeOffset? HeardAt(BsonDocument m) => HeartbeatFields
        .Select(f => m.GetValue(f, BsonNull.Value))
        .OfType<BsonDateTime>().Select(d => new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero))
        .Where(d => d > DateTimeOffset.UnixEpoch).Cast<DateTimeOffset?>().Max();

    // optime.ts (a Timestamp: seconds and an increment) is what the primary compares; optimeDate is the same instant.
    private static long OptimeSeconds(BsonDocument m) => m.GetValue("optime", BsonNull.Value) switch
    {
        BsonDocument { } o when o.GetValue("ts", BsonNull.Value) is BsonTimestamp ts => ts.Timestamp,
        _ => m.GetValue("optimeDate", BsonNull.Value) is BsonDateTime d ? (long)(d.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds : 0,
    };

    // Absent means mongod's default (votes 1, priority 1).
    private static int Number(BsonDocument m, string field, int absent) =>
        m.GetValue(field, BsonNull.Value).IsNumeric ? m[field].ToInt32() : absent;

    private static double Number(BsonDocument m, string field, double absent) =>
        m.GetValue(field, BsonNull.Value).IsNumeric ? m[field].ToDouble() : absent;
}
