namespace HipaaMongo.Operator.Members.Connection;

/// <summary>
/// What the certificate callback and the driver's monitor last saw for one client, so a failed operation can say
/// why (the driver itself reports only a server-selection timeout).
/// </summary>
internal sealed class TlsVerdict
{
    private volatile string? _rejection;
    private volatile Exception? _heartbeatFailure;

    public string? Rejection => _rejection;

    public Exception? HeartbeatFailure => _heartbeatFailure;

    public void Rejected(string reason) => _rejection = reason;

    public void Accepted() => _rejection = null;

    public void HeartbeatFailed(Exception e) => _heartbeatFailure = e;

    public void HeartbeatSucceeded() => _heartbeatFailure = null;
}
