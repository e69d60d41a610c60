using System.Net.Sockets;
using System.Security.Authentication;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Members.Connection;

/// <summary>
/// Turns the driver's exceptions into short reasons that name the real cause, read from what the member answered:
/// UserNotFound (11) or AuthenticationFailed (18) in the authentication reply, a connection closed right after an
/// accepted handshake (mongod refusing the client certificate), no answer in time. Messages are composed here from
/// names, codes and endpoints only, never copied from the driver wholesale, so no certificate or key material can
/// leak into status.
/// </summary>
internal static class MemberErrors
{
    // mongod's error codes (src/mongo/base/error_codes.yml).
    private const int UserNotFound = 11;
    private const int AuthenticationFailed = 18;

    public static MemberFailure Classify(Exception e, string endpoint, string subject, TlsVerdict verdict) => e switch
    {
        MongoAuthenticationException a => Authentication(a, endpoint, subject),
        MongoCommandException { Code: AuthenticationFailed } => Refused(endpoint, subject),
        // mongod's words when the connection has no authenticated user left (its user was dropped since).
        MongoCommandException { Code: 13 } c when c.ErrorMessage?.Contains("requires authentication", StringComparison.Ordinal) == true
            => new(MemberFailureKind.CommandRefused, $"{c.CodeName} ({c.Code}) from {endpoint}: the command requires authentication", c.Code),
        MongoCommandException c => new(MemberFailureKind.CommandRefused, $"{c.CodeName} ({c.Code}) from {endpoint}", c.Code),
        _ when verdict.Rejection is { } tls => new(MemberFailureKind.Tls, $"{tls} ({endpoint})"),
        TimeoutException or MongoConnectionException or OperationCanceledException or IOException or SocketException
            => Connection(endpoint, subject, e, verdict),
        BsonException or FormatException or InvalidCastException or KeyNotFoundException or InvalidOperationException
            => new(MemberFailureKind.Nonsense, $"unreadable answer from {endpoint}: {e.GetType().Name}"),
        _ => new(MemberFailureKind.Unreachable, $"{endpoint}: {e.GetType().Name}"),
    };

    // The driver wraps the server's authentication reply; its code says whether the user is missing or refused.
    private static MemberFailure Authentication(MongoAuthenticationException e, string endpoint, string subject) =>
        Chain(e).OfType<MongoCommandException>().FirstOrDefault() switch
        {
            { Code: UserNotFound } => Missing(endpoint, subject),
            { Code: AuthenticationFailed } => Refused(endpoint, subject),
            { } other => new(MemberFailureKind.Authentication,
                $"authentication refused: {endpoint} refused {subject} with {other.CodeName} ({other.Code})", other.Code),
            null => Chain(e).Any(Closed)
                ? CertificateRefused(endpoint, subject)
                : new(MemberFailureKind.Authentication, $"authentication refused: authentication as {subject} failed on {endpoint}"),
        };

    private static MemberFailure Missing(string endpoint, string subject) =>
        new(MemberFailureKind.UserMissing, $"user missing: {endpoint} has no user {subject} in $external (UserNotFound)", UserNotFound);

    private static MemberFailure Refused(string endpoint, string subject) =>
        new(MemberFailureKind.Authentication, $"authentication refused: {endpoint} refused {subject} (AuthenticationFailed)", AuthenticationFailed);

    private static MemberFailure CertificateRefused(string endpoint, string subject) =>
        new(MemberFailureKind.CertificateRefused, $"certificate refused: {endpoint} closed the connection after the TLS handshake, "
            + $"refusing the client certificate of {subject} (not issued by a CA in its CAFile, expired, or not for client authentication)");

    // No reply at all: what the last connection attempt (the operation's own, or the monitor's heartbeat) ran into.
    private static MemberFailure Connection(string endpoint, string subject, Exception e, TlsVerdict verdict)
    {
        var attempts = verdict.HeartbeatFailure is { } heartbeat ? [heartbeat, e] : new[] { e };
        if (attempts.SelectMany(Chain).Any(x => x is AuthenticationException a && a.Message.Contains("alert", StringComparison.OrdinalIgnoreCase)))
        {
            return CertificateRefused(endpoint, subject);
        }
        if (verdict.ServerAccepted && attempts.SelectMany(Chain).Any(Closed))
        {
            return CertificateRefused(endpoint, subject);
        }
        var cause = Innermost(verdict.HeartbeatFailure ?? e);
        return cause switch
        {
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => new(MemberFailureKind.Unreachable, $"connection refused by {endpoint}"),
            SocketException { SocketErrorCode: SocketError.TimedOut } => Timeout(endpoint),
            SocketException s => new(MemberFailureKind.Unreachable, $"cannot reach {endpoint}: {s.SocketErrorCode}"),
            AuthenticationException => new(MemberFailureKind.Unreachable, $"TLS handshake with {endpoint} failed"),
            // The driver's message reader rejects impossible lengths and headers with these.
            FormatException or BsonException or EndOfStreamException or ArgumentException or MongoException
                => new(MemberFailureKind.Unreachable, $"{endpoint} did not answer with MongoDB wire messages ({cause.GetType().Name})"),
            TimeoutException or OperationCanceledException => Timeout(endpoint),
            _ => new(MemberFailureKind.Unreachable, $"cannot reach {endpoint}: {cause.GetType().Name}"),
        };
    }

    private static MemberFailure Timeout(string endpoint) =>
        new(MemberFailureKind.Timeout, $"timeout: no answer from {endpoint} within the timeout");

    // The member hung up: end of stream, or a reset, on a connection whose handshake had completed.
    private static bool Closed(Exception e) =>
        e is EndOfStreamException or SocketException { SocketErrorCode: SocketError.ConnectionReset };

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
        }
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
