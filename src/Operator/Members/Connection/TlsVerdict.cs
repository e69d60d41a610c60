namespace HipaaMongo.Operator.Members.Connection;

/// <summary>
/// What the certificate callback and the driver's monitor last saw for one client, so a failed operation can say
/// why (the driver itself reports only a server-selection timeout).
/// </summary>
internal sealed class TlsVerdict
{
    private volatile string? _rejection;
    private volatile Exception? _heartbeatFailure;
    private volatile bool _serverAccepted;

    public string? Rejection => _rejection;

    public Exception? HeartbeatFailure => _heartbeatFailure;

    /// <summary>The last handshake reached the operator's check of the member's certificate and passed it.</summary>
    public bool ServerAccepted => _serverAccepted;

    public void Rejected(string reason)
    {
        _rejection = reason;
        _serverAccepted = false;
    }

    public void Accepted()
    {
        _rejection = null;
        _serverAccepted = true;
    }

    public void HeartbeatFailed(Exception e) => _heartbeatFailure = e;

    public void HeartbeatSucceeded() => _heartbeatFailure = null;
}
