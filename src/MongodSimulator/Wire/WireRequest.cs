using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Wire;

/// <summary>
/// A decoded request: the command document (kind-1 sequences merged in) and how to answer it. ExhaustAllowed is
/// OP_MSG flag bit 16: the client accepts a stream of replies (moreToCome) to this one request.
/// </summary>
internal sealed record WireRequest(int RequestId, BsonDocument Command, string Database, bool Legacy, bool MoreToCome, bool ExhaustAllowed = false)
{
    /// <summary>The command name is the body's first key (OP_MSG spec).</summary>
    public string CommandName => Command.ElementCount > 0 ? Command.GetElement(0).Name : "";
}

/// <summary>A message the server answers by closing the connection (mongod's behaviour for broken framing).</summary>
internal sealed class WireProtocolException : Exception
{
    public WireProtocolException(string message) : base(message) { }

    public WireProtocolException() { }

    public WireProtocolException(string message, Exception inner) : base(message, inner) { }
}

internal static class OpCodes
{
    public const int Reply = 1;
    public const int Query = 2004;
    public const int Compressed = 2012;
    public const int Msg = 2013;
}
