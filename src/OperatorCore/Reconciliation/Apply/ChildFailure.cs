using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace HipaaMongo.Operator.Reconciliation.Apply;

/// <summary>
/// One owned child the pass could not bring to its render: its kind and name, the HTTP status (0: no answer) and the
/// API server's message. Never a Secret's content: for a Secret only the status code is kept.
/// </summary>
public sealed record ChildFailure(string Kind, string Name, int StatusCode, string Message)
{
    /// <summary>
    /// Set when the operator itself held the child back (no API answer to quote): the condition and Event reason, e.g.
    /// StorageShrinkRefused. Null for a failure the API answered, whose reason follows from its code.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>For an operator-held child: whether only a spec or cluster change can end it.</summary>
    public bool HeldUntilChange { get; init; }

    /// <summary>Retrying the same write cannot succeed (<see cref="ChildFailures.IsStalled"/>): only a spec or cluster change can.</summary>
    public bool Stalled => Reason is null ? ChildFailures.IsStalled(StatusCode) : HeldUntilChange;

    /// <summary>"StatefulSet phi-db: 422 StatefulSet.apps \"phi-db\" is invalid: ..."; an operator-held child: "Kind name: why".</summary>
    public string Describe() => Reason is not null ? $"{Kind} {Name}: {Message}"
        : $"{Kind} {Name}: {(StatusCode == 0 ? "no answer" : StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))} {Message}";

    /// <summary>A child the operator held back for <paramref name="reason"/> (no request was refused).</summary>
    public static ChildFailure Held(string kind, string name, string reason, string message, bool untilChange) =>
        new(kind, name, 0, message) { Reason = reason, HeldUntilChange = untilChange };
}

/// <summary>Pure: which API errors retrying cannot fix, and the failure record of one error.</summary>
public static class ChildFailures
{
    /// <summary>
    /// Stalled: a 4xx the same request will get again (400 malformed, 403 forbidden, 405, 413, 415, 422 invalid or
    /// immutable). Transient, retried with backoff: no answer (0), 401 (a token being rotated), 404 and 409 (the cache
    /// was a moment old), 408 and 429 (the server asked to come back), every 5xx.
    /// </summary>
    public static bool IsStalled(int statusCode) =>
        statusCode is >= 400 and < 500 and not (401 or 404 or 408 or 409 or 429);

    /// <summary>The failure of <paramref name="kind"/>/<paramref name="name"/> from what the API answered.</summary>
    public static ChildFailure From(string kind, string name, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var code = error is HttpOperationException { Response: { } r } ? (int)r.StatusCode : 0;
        var message = kind == "Secret" ? ((HttpStatusCode)code).ToString()
            : error is HttpOperationException http ? ApiMessage(http.Response?.Content) ?? error.Message : error.Message;
        return new ChildFailure(kind, name, code, message);
    }

    // The Status object's message (kube-apiserver's explanation), not the client's generic text.
    private static string? ApiMessage(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m)
                && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
