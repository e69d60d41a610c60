using HipaaMongo.MongodSimulator.Wire;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// mongod streams the replies to an awaitable hello when the client allows exhaust (OP_MSG flag bit 16): each reply
/// carries moreToCome, and the server runs the hello again with the topologyVersion it just sent, answering when the
/// topology changes or maxAwaitTimeMS passes, until the connection closes. Not optional for a faithful simulator:
/// MongoDB.Driver's monitor, handed a reply without moreToCome, re-sends the topologyVersion of its connection
/// handshake, so after any topology change each hello is answered at once and the monitor spins.
/// </summary>
internal static class ExhaustHello
{
    public static bool Streams(WireRequest request, BsonDocument reply) =>
        request is { ExhaustAllowed: true, Legacy: false, MoreToCome: false }
        && request.CommandName is "hello" or "isMaster" or "ismaster"
        && request.Command.Contains("topologyVersion") && request.Command.Contains("maxAwaitTimeMS")
        && reply.GetValue("ok", 0).ToDouble() == 1 && reply.Contains("topologyVersion");

    /// <summary>The request mongod synthesises for the next reply: the same hello, with the topologyVersion just sent.</summary>
    public static WireRequest Next(WireRequest request, BsonDocument reply)
    {
        var command = request.Command.DeepClone().AsBsonDocument;
        command["topologyVersion"] = reply["topologyVersion"];
        return request with { Command = command };
    }
}
