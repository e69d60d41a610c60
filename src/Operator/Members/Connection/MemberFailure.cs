namespace HipaaMongo.Operator.Members.Connection;

public enum MemberFailureKind
{
    /// <summary>No connection: refused, timed out, reset. Retrying later may help.</summary>
    Unreachable,

    /// <summary>The member's server certificate was refused by the operator (wrong CA, wrong name).</summary>
    Tls,

    /// <summary>The member refused the client certificate's authentication.</summary>
    Authentication,

    /// <summary>Connected and authenticated, but the command was refused (code and codeName).</summary>
    CommandRefused,

    /// <summary>The member answered something that is not a documented reply.</summary>
    Nonsense,
}

/// <summary>Why a member command did not produce a reply: a kind to decide on and words for people.</summary>
public sealed record MemberFailure(MemberFailureKind Kind, string Message, int? Code = null)
{
    public override string ToString() => Message;
}

/// <summary>A reply, or why there is none.</summary>
public sealed record CommandOutcome(MongoDB.Bson.BsonDocument? Reply, MemberFailure? Failure)
{
    public bool Ok => Reply is not null;
}
