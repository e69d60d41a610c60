namespace HipaaMongo.Operator.Members.Connection;

/// <summary>
/// Why a member command produced no reply, as the member showed it: each kind is read from the server's own answer
/// (an error code, a closed connection after the handshake, no answer at all), never guessed from an earlier failure.
/// </summary>
public enum MemberFailureKind
{
    /// <summary>No connection: refused, reset, no route. Retrying later may help.</summary>
    Unreachable,

    /// <summary>The member's server certificate was refused by the operator (wrong CA, wrong name).</summary>
    Tls,

    /// <summary>The member refused the client certificate's authentication (AuthenticationFailed, code 18).</summary>
    Authentication,

    /// <summary>Connected and authenticated, but the command was refused (code and codeName).</summary>
    CommandRefused,

    /// <summary>The member answered something that is not a documented reply.</summary>
    Nonsense,

    /// <summary>The certificate's user does not exist in $external on the member (UserNotFound, code 11).</summary>
    UserMissing,

    /// <summary>
    /// The member refused the client certificate itself: it closed the connection right after a handshake in which
    /// its own certificate was accepted (mongod checks the peer certificate after the handshake and drops the
    /// connection), or it sent a TLS alert.
    /// </summary>
    CertificateRefused,

    /// <summary>The member took the connection but gave no answer within the timeout.</summary>
    Timeout,
}

/// <summary>Why a member command did not produce a reply: a kind to decide on and words for people.</summary>
public sealed record MemberFailure(MemberFailureKind Kind, string Message, int? Code = null)
{
    public override string ToString() => Message;

    /// <summary>True when the member refused who the operator is (its user or its certificate), not the command.</summary>
    public bool IdentityRefused => Kind is MemberFailureKind.Authentication or MemberFailureKind.UserMissing or MemberFailureKind.CertificateRefused;
}

/// <summary>A reply, or why there is none.</summary>
public sealed record CommandOutcome(MongoDB.Bson.BsonDocument? Reply, MemberFailure? Failure)
{
    public bool Ok => Reply is not null;
}
