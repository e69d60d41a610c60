using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// replSetGetConfig (manual: {config: {_id, version, term, members: [{_id, host: "host:port", ...}], settings}, ok})
/// compared with the hosts the bootstrapper initiates the set with. Members dial each other by these names and check
/// them against the peer certificate, so a host that is not a member certificate SAN breaks member authentication
/// (secure-baseline.md 7.1, 7.4). A reconfig is an administrator decision: this is reported, never corrected.
/// </summary>
internal static class ReplicaHosts
{
    /// <summary>Hosts in the config that are not expected, in config order; null when not read or nothing is expected.</summary>
    public static IReadOnlyList<string>? Outside(BsonDocument? replSetConfig, MemberExpectations expected)
    {
        if (expected.MemberHosts.Count == 0 || BsonRead.Array(BsonRead.At(replSetConfig, "config.members")) is not { } members)
        {
            return null;
        }

        var hosts = new List<string>();
        foreach (var m in members)
        {
            if (m is not BsonDocument d || BsonRead.String(BsonRead.At(d, "host")) is not { } host)
            {
                return null;
            }

            hosts.Add(host);
        }

        var allowed = expected.MemberHosts.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. hosts.Where(h => !allowed.Contains(h)).Distinct(StringComparer.Ordinal)];
    }

    public static string Sentence(string host) =>
        $"replica-set config lists member host '{Clip(host)}', which is not a member DNS name the member certificates carry "
        + "(not corrected: a replica-set reconfig is an administrator decision)";

    // A host string comes from the member; keep sentences short whatever it holds.
    private static string Clip(string host) => host.Length <= 120 ? host : host[..120] + "…";
}
