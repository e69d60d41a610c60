namespace HipaaMongo.Operator.Members.Connection;

/// <summary>
/// Timeouts for member connections. Short on purpose: a member that does not answer is reported as unreachable
/// on this pass and tried again on the next, rather than holding up the reconcile.
/// </summary>
public sealed record MemberClientOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ServerSelectionTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan SocketTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most one command may take, whatever the driver does: selection, a new connection and the reply. The
    /// driver bounds the TCP connect and each socket read, but not a TLS handshake that a member accepts on TCP and
    /// never answers (its pool opens connections with no deadline of their own), which would hold the pass forever.
    /// </summary>
    public TimeSpan CommandDeadline => ServerSelectionTimeout + ConnectTimeout + SocketTimeout;

    /// <summary>How long bootstrap waits for a primary after replSetInitiate before answering Waiting.</summary>
    public TimeSpan PrimaryWait { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Pause between polls while waiting for a primary.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public string ApplicationName { get; init; } = "hipaa-mongo-operator";
}
