using HipaaMongo.Entities;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// The member's place in the replica set (replSetGetStatus) and the certificate it serves (serverStatus).
/// State numbers are the manual's (replSetGetStatus, "Replica Set Member States").
/// </summary>
internal static class ReplicaState
{
    public static MemberRole Role(BsonDocument? replSetStatus) =>
        BsonRead.Integer(BsonRead.At(replSetStatus, "myState")) switch
        {
            0 or 5 => MemberRole.Startup,      // STARTUP, STARTUP2
            1 => MemberRole.Primary,
            2 => MemberRole.Secondary,
            3 or 9 => MemberRole.Recovering,   // RECOVERING; ROLLBACK is not serving reads either
            7 => MemberRole.Arbiter,
            8 => MemberRole.Down,
            _ => MemberRole.Unknown,           // 6 UNKNOWN, 10 REMOVED (no longer in the set), anything else
        };

    /// <summary>This member's own entry (self: true): health 1 and state PRIMARY or SECONDARY; null when not read.</summary>
    public static bool? Healthy(BsonDocument? replSetStatus)
    {
        if (BsonRead.Array(BsonRead.At(replSetStatus, "members")) is not { } members)
        {
            return null;
        }

        var self = members.OfType<BsonDocument>().Where(m => BsonRead.Bool(BsonRead.At(m, "self")) == true).ToList();
        if (self.Count != 1)
        {
            return null;
        }

        var health = BsonRead.Number(BsonRead.At(self[0], "health"));
        var state = BsonRead.Integer(BsonRead.At(self[0], "state"));
        return health is null || state is null ? null : health == 1 && state is 1 or 2;
    }

    public static DateTimeOffset? TlsExpiry(BsonDocument? serverStatus) =>
        BsonRead.Date(BsonRead.At(serverStatus, "security.SSLServerCertificateExpirationDate"));
}
