using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace HipaaMongo.ControllerRuntime.Reconcile;

/// <summary>
/// A pass that fails because it acted on a cache a moment old: 404 NotFound (the object was deleted meanwhile) or
/// 409 Conflict (changed meanwhile). controller-runtime's answer is to retry from fresh state; these are routine, so
/// they are logged as one line with the API's reason and message, never as an error with a stack trace.
/// </summary>
internal static class StaleRead
{
    public static bool Matches(HttpOperationException ex) =>
        ex.Response?.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict;

    /// <summary>"404 NotFound: configmaps \"x\" not found", from the Status the API server returned.</summary>
    public static string Describe(HttpOperationException ex)
    {
        var code = (int)(ex.Response?.StatusCode ?? 0);
        var (reason, message) = ReasonAndMessage(ex.Response?.Content);
        return $"{code} {reason ?? ex.Response?.StatusCode.ToString()}: {message ?? "no message"}";
    }

    private static (string? Reason, string? Message) ReasonAndMessage(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return (null, null);
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            return (Text(root, "reason"), Text(root, "message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
