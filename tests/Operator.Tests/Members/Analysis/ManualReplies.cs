using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

/// <summary>
/// Reply shapes as the MongoDB manual documents them (mongo shell notation, parsed by the BSON JSON reader).
/// Values that the manual leaves as placeholders are filled with plain examples; field names, nesting and
/// BSON types are the manual's.
/// </summary>
internal static class ManualReplies
{
    /// <summary>MongoDB manual, reference/command/getCmdLineOpts, "example output of getCmdLineOpts".</summary>
    public const string CmdLineOptsExample = """
        {
           "argv" : [ "/usr/bin/mongod", "--config", "/etc/mongod.conf" ],
           "parsed" : {
              "config" : "/etc/mongod.conf",
              "net" : { "bindIp" : "127.0.0.1", "port" : 27017 },
              "processManagement" : { "fork" : true },
              "storage" : { "dbPath" : "/data/db" },
              "systemLog" : { "destination" : "file", "logAppend" : true, "path" : "/var/log/mongodb/mongod.log" }
           },
           "ok" : 1
        }
        """;

    /// <summary>
    /// MongoDB manual, reference/command/getParameter, "Retrieve Single Parameter": the reply holds each
    /// requested name at top level ({ "saslHostName" : "www.example.net:27018", "ok" : 1 }); here with the
    /// names the verifier asks for and the types the manual's parameter reference gives them
    /// (authenticationMechanisms is a list).
    /// </summary>
    public const string GetParameterHardened = """
        {
           "tlsMode" : "requireTLS",
           "clusterAuthMode" : "x509",
           "authenticationMechanisms" : [ "SCRAM-SHA-256", "MONGODB-X509" ],
           "enableLocalhostAuthBypass" : false,
           "redactClientLogData" : true,
           "auditAuthorizationSuccess" : false,
           "scramSHA256IterationCount" : 15000,
           "ok" : 1
        }
        """;

    /// <summary>MongoDB manual, reference/command/serverStatus, "security" output section.</summary>
    public const string ServerStatusSecurity = """
        {
           "host" : "phi-db-0",
           "process" : "mongod",
           "security" : {
              "authentication" : { "mechanisms" : { "MONGODB-X509" : { "authenticate" : { "received" : NumberLong(3), "successful" : NumberLong(3) } } } },
              "SSLServerSubjectName" : "CN=phi-db-0,O=clinical",
              "SSLServerHasCertificateAuthority" : true,
              "SSLServerCertificateExpirationDate" : ISODate("2027-02-23T06:00:00Z")
           },
           "ok" : 1
        }
        """;

    /// <summary>MongoDB manual, reference/command/replSetGetStatus, "Example" output (primary, three members, trimmed).</summary>
    public const string ReplSetGetStatusPrimary = """
        {
            "set" : "replset",
            "date" : ISODate("2015-11-19T15:22:32.597Z"),
            "myState" : 1,
            "term" : NumberLong(1),
            "heartbeatIntervalMillis" : NumberLong(2000),
            "members" : [
                { "_id" : 0, "name" : "m1.example.net:27017", "health" : 1, "state" : 1, "stateStr" : "PRIMARY", "uptime" : 269, "self" : true },
                { "_id" : 1, "name" : "m2.example.net:27017", "health" : 1, "state" : 2, "stateStr" : "SECONDARY", "uptime" : 14 },
                { "_id" : 2, "name" : "m3.example.net:27017", "health" : 1, "state" : 2, "stateStr" : "SECONDARY", "uptime" : 14 }
            ],
            "ok" : 1
        }
        """;

    /// <summary>
    /// usersInfo with forAllDBs, as in SERVER-32975 (the change that added forAllDBs and "mechanisms", linked from
    /// the manual's usersInfo page): { "users" : [ { "_id", "user", "db", "roles", "mechanisms" } ], "ok" : 1 }.
    /// </summary>
    public const string UsersInfoExample = """
        {
           "users" : [
              { "_id" : "admin.sajack", "user" : "sajack", "db" : "admin", "roles" : [ ], "mechanisms" : [ "SCRAM-SHA-1" ] },
              { "_id" : "admin.sajack2", "user" : "sajack2", "db" : "admin", "roles" : [ ], "mechanisms" : [ "SCRAM-SHA-1", "SCRAM-SHA-256" ] }
           ],
           "ok" : 1
        }
        """;

    /// <summary>MongoDB manual, reference/command/rolesInfo, "View All User-Defined Roles for a Database" (shortened).</summary>
    public const string RolesInfoUserDefined = """
        {
          roles: [
            {
              _id: 'products.associate',
              role: 'associate',
              db: 'products',
              privileges: [ { resource: { db: 'products', collection: '' }, actions: [ 'bypassDocumentValidation' ] } ],
              roles: [ { role: 'readWrite', db: 'products' } ],
              isBuiltin: false,
              inheritedRoles: [ { role: 'readWrite', db: 'products' } ]
            }
          ],
          ok: 1
        }
        """;

    /// <summary>MongoDB manual, reference/command/rolesInfo, "View All User-Defined and Built-In Roles" (shortened).</summary>
    public const string RolesInfoBuiltIn = """
        {
          roles: [
            { role: 'enableSharding', db: 'products', isBuiltin: true, roles: [], inheritedRoles: [] },
            { role: 'userAdmin', db: 'products', isBuiltin: true, roles: [], inheritedRoles: [] },
            { role: 'read', db: 'products', isBuiltin: true, roles: [], inheritedRoles: [] }
          ],
          ok: 1
        }
        """;

    /// <summary>MongoDB manual, reference/command/profile: {profile: -1} returns the current level in "was".</summary>
    public static BsonDocument ProfileReply(int level) => BsonDocument.Parse($"{{ \"was\" : {level}, \"slowms\" : 100, \"sampleRate\" : 1.0, \"ok\" : 1 }}");

    public static BsonDocument Doc(string json) => BsonDocument.Parse(json);
}
