using System.Net.Sockets;
using System.Security.Authentication;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Members.Connection;

/// <summary>
/// Turns the driver's exceptions into short reasons. Messages are composed here from names, codes and endpoints
/// only, never copied from the driver wholesale, so no certificate or key material can leak into status.
/// </summary>
internal static class MemberErrors
{
    public static MemberFailure Classify(Exception e, string endpoint, string subject, TlsVerdict verdict) => e switch
    {
        MongoAuthenticationException => new(MemberFailureKind.Authentication, $"authentication as {subject} failed on {endpoint}"),
        MongoCommandException c when c.Code == 18 => new(MemberFailureKind.Authentication, $"authentication as {subject} failed on {endpoint}", 18),
        MongoCommandException c => new(MemberFailureKind.CommandRefused, $"{c.CodeName} ({c.Code}) from {endpoint}", c.Code),
        _ when verdict.Rejection is { } tls => new(MemberFailureKind.Tls, $"{tls} ({endpoint})"),
        TimeoutException or MongoConnectionException or OperationCanceledException or IOException or SocketException
            => new(MemberFailureKind.Unreachable, Unreachable(endpoint, e, verdict.HeartbeatFailure)),
        BsonException or FormatException or InvalidCastException or KeyNotFoundException or InvalidOperationException
            => new(MemberFailureKind.Nonsense, $"unreadable answer from {endpoint}: {e.GetType().Name}"),
        _ => new(MemberFailureKind.Unreachable, $"{endpoint}: {e.GetType().Name}"),
    };

    private static string Unreachable(string endpoint, Exception e, Exception? heartbeat)
    {
        var cause = Innermost(heartbeat ?? e);
        return cause switch
        {
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"connection refused by {endpoint}",
            SocketException s => $"cannot reach {endpoint}: {s.SocketErrorCode}",
            AuthenticationException => $"TLS handshake with {endpoint} failed",
            // The driver's message reader rejects impossible lengths and headers with these.
            FormatException or BsonException or EndOfStreamException or ArgumentException or MongoException
                => $"{endpoint} did not answer with MongoDB wire messages ({cause.GetType().Name})",
            TimeoutException => $"no answer from {endpoint} within the timeout",
            _ => $"cannot reach {endpoint}: {cause.GetType().Name}",
        };
    }

    private static Exception Innermost(Exception e)
    {
        var current = e;
        while (current.InnerException is { } inner)
        {
            if (current is SocketException)
            {
                break;
            }

            current = inner;
        }

        return current;
    }
}
