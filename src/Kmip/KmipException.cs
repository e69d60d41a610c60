namespace HipaaMongo.Kmip;

/// <summary>
/// Every failure of the KMIP client: malformed TTLV, a server that answers with a failure, or a transport error.
/// Messages name the field or the reason and never carry key material.
/// </summary>
public sealed class KmipException : Exception
{
    public KmipException(string message) : base(message) { }

    public KmipException(string message, Exception inner) : base(message, inner) { }

    public KmipException(string message, ResultReason reason, string? serverMessage)
        : base(serverMessage is { Length: > 0 } ? $"{message}: {reason} ({serverMessage})" : $"{message}: {reason}")
    {
        Reason = reason;
        ServerMessage = serverMessage;
    }

    /// <summary>The server's Result Reason when the server answered with a failure; null otherwise.</summary>
    public ResultReason? Reason { get; }

    /// <summary>The server's Result Message, if it sent one.</summary>
    public string? ServerMessage { get; }
}
