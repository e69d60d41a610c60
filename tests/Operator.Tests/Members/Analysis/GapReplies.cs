using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

/// <summary>
/// Reply shapes for the runtime audit configuration, Percona's encryption status and the replica-set config, each
/// from its documented source. Placeholders are filled with plain examples; names, nesting and BSON types are the
/// source's.
/// </summary>
internal static class GapReplies
{
    /// <summary>
    /// MongoDB manual, reference/command/getClusterParameter (reply {clusterParameters: [ { _id: &lt;name&gt;,
    /// clusterParameterTime: &lt;Timestamp&gt;, ...fields } ], ok}) with the fields of reference/cluster-parameters/
    /// auditConfig: filter (document, default none) and auditAuthorizationSuccess (boolean, default false).
    /// </summary>
    public static BsonDocument AuditConfig(BsonDocument filter, bool auditAuthorizationSuccess) => new()
    {
        {
            "clusterParameters", new BsonArray
            {
                new BsonDocument
                {
                    { "_id", "auditConfig" },
                    { "clusterParameterTime", new BsonTimestamp(1700000000, 1) },
                    { "filter", filter },
                    { "auditAuthorizationSuccess", auditAuthorizationSuccess },
                },
            }
        },
        { "ok", 1.0 },
    };

    /// <summary>
    /// Percona Server for MongoDB, src/mongo/db/audit/audit_options.cpp, AuditOptions::toBSON():
    /// BSON("format" &lt;&lt; format &lt;&lt; "path" &lt;&lt; path &lt;&lt; "destination" &lt;&lt; destination &lt;&lt;
    /// "filter" &lt;&lt; filter), all strings; filter "{}" and format "JSON" by default.
    /// </summary>
    public static BsonDocument AuditGetOptions(string destination, string filter, string path = "/data/db/audit/auditLog.json") => new()
    {
        { "format", "JSON" },
        { "path", path },
        { "destination", destination },
        { "filter", filter },
        { "ok", 1.0 },
    };

    /// <summary>
    /// Percona Server for MongoDB 8.0.12-4 (PSMDB-1633; secure-baseline.md 3.2 [P2][P4]): serverStatus.encryptionAtRest
    /// {encryptionEnabled: bool, encryptionCipherMode: string, encryptionKeyId: "local" | KMIP/Vault id | null},
    /// added to the manual's serverStatus security example.
    /// </summary>
    public static BsonDocument ServerStatusWithEncryption(bool enabled, string cipher, BsonValue keyId)
    {
        var status = ManualReplies.Doc(ManualReplies.ServerStatusSecurity);
        status["encryptionAtRest"] = new BsonDocument
        {
            { "encryptionEnabled", enabled },
            { "encryptionCipherMode", cipher },
            { "encryptionKeyId", keyId },
        };
        return status;
    }

    /// <summary>
    /// MongoDB manual, reference/command/replSetGetConfig, "Example" output (trimmed): {config: {_id, version, term,
    /// members: [{_id, host, arbiterOnly, buildIndexes, hidden, priority, tags, secondaryDelaySecs, votes}],
    /// protocolVersion, writeConcernMajorityJournalDefault, settings}, ok}.
    /// </summary>
    public static BsonDocument ReplSetConfig(IEnumerable<string> hosts) => new()
    {
        {
            "config", new BsonDocument
            {
                { "_id", "phi-db" },
                { "version", 1 },
                { "term", 1 },
                { "members", new BsonArray(hosts.Select((h, i) => new BsonDocument
                    {
                        { "_id", i }, { "host", h }, { "arbiterOnly", false }, { "buildIndexes", true }, { "hidden", false },
                        { "priority", 1.0 }, { "tags", new BsonDocument() }, { "secondaryDelaySecs", 0L }, { "votes", 1 },
                    }))
                },
                { "protocolVersion", 1L },
                { "writeConcernMajorityJournalDefault", true },
                { "settings", new BsonDocument { { "chainingAllowed", true }, { "heartbeatIntervalMillis", 2000 }, { "electionTimeoutMillis", 10000 } } },
            }
        },
        { "ok", 1.0 },
    };

    /// <summary>MongoDB manual, reference/command/rolesInfo: a database without custom roles answers an empty list.</summary>
    public static BsonDocument NoRoles => ManualReplies.Doc("{ roles: [ ], ok: 1 }");
}
