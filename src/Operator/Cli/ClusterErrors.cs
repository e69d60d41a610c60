using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace HipaaMongo.Operator.Cli;

/// <summary>
/// One plain line for a failed API call: what was being read and why (HTTP status and the API server's own
/// message, or the transport failure). Never the request, headers or kubeconfig, which hold the token.
/// </summary>
internal static class ClusterErrors
{
    public static bool IsNotFound(Exception e) =>
        e is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound };

    public static bool IsClusterError(Exception e) =>
        e is HttpOperationException or HttpRequestException or TaskCanceledException or TimeoutException;

    public static string Describe(Exception e, string reading) => e switch
    {
        HttpOperationException h => $"cannot read {reading}: {Status(h.Response.StatusCode)}{ServerMessage(h.Response.Content)}",
        HttpRequestException r => $"cannot read {reading}: the API server is unreachable ({Cap(r.InnerException?.Message ?? r.Message)})",
        TaskCanceledException or TimeoutException => $"cannot read {reading}: the API server did not answer in time",
        _ => $"cannot read {reading}: {e.GetType().Name}",
    };

    private static string Status(HttpStatusCode code) => code switch
    {
        HttpStatusCode.Forbidden => "forbidden (HTTP 403)",
        HttpStatusCode.Unauthorized => "unauthorized (HTTP 401): the kubeconfig credentials were refused",
        _ => $"HTTP {(int)code} {code}",
    };

    // A Kubernetes Status body carries a readable "message" (e.g. 'configmaps "x" is forbidden: User ...').
    private static string ServerMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                ? ": " + Cap(m.GetString()!)
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string Cap(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 300 ? line : line[..300] + "...";
    }
}
