using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.ControllerRuntime.Tests.Support;

/// <summary>core/v1 Events as the recorder writes them: POST creates (201), PATCH merges into a known Event (404 if unknown).</summary>
public sealed class EventStore
{
    public ConcurrentDictionary<string, JsonObject> Stored { get; } = new();

    public ConcurrentQueue<(string Method, string ContentType, JsonObject Body)> Writes { get; } = new();

    public async Task HandleAsync(HttpContext context)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        Writes.Enqueue((context.Request.Method, context.Request.ContentType ?? "", body));
        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        context.Response.ContentType = "application/json";
        if (context.Request.Method == "POST")
        {
            Stored[body["metadata"]!["name"]!.GetValue<string>()] = body;
            context.Response.StatusCode = 201;
            await context.Response.WriteAsync(body.ToJsonString());
            return;
        }
        if (!Stored.TryGetValue(segments[^1], out var existing))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"NotFound","code":404}""");
            return;
        }
        foreach (var (key, value) in body)
        {
            existing[key] = value?.DeepClone();
        }
        await context.Response.WriteAsync(existing.ToJsonString());
    }
}
