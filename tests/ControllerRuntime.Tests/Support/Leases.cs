using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.ControllerRuntime.Tests.Support;

/// <summary>
/// The slice of the API server a LeaseLock uses: GET a Lease (404 when absent), POST to create (409 when it
/// exists), PUT to replace with optimistic concurrency on metadata.resourceVersion (409 on a stale version).
/// </summary>
public sealed class Leases
{
    private readonly Dictionary<string, JsonObject> _store = [];
    private int _version;

    public JsonObject? Get(string name)
    {
        lock (_store)
        {
            return _store.TryGetValue(name, out var lease) ? (JsonObject)lease.DeepClone() : null;
        }
    }

    /// <summary>Overwrites a Lease as another actor would (bumping its resourceVersion).</summary>
    public void Put(string name, JsonObject lease)
    {
        lock (_store)
        {
            lease["metadata"]!["resourceVersion"] = (++_version).ToString();
            _store[name] = lease;
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = segments[^1] == "leases" ? null : segments[^1];
        var (status, body) = context.Request.Method switch
        {
            "GET" => Read(name!),
            "POST" => Create(await ReadBody(context)),
            "PUT" => Replace(name!, await ReadBody(context)),
            _ => (405, StatusBody(405, "MethodNotAllowed")),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static async Task<JsonObject> ReadBody(HttpContext context) =>
        (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;

    private (int, JsonObject) Read(string name) => Get(name) is { } lease ? (200, lease) : (404, StatusBody(404, "NotFound"));

    private (int, JsonObject) Create(JsonObject lease)
    {
        var name = lease["metadata"]!["name"]!.GetValue<string>();
        lock (_store)
        {
            if (_store.ContainsKey(name))
            {
                return (409, StatusBody(409, "AlreadyExists"));
            }
            Put(name, lease);
            return (201, (JsonObject)lease.DeepClone());
        }
    }

    private (int, JsonObject) Replace(string name, JsonObject lease)
    {
        lock (_store)
        {
            var sent = lease["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (!_store.TryGetValue(name, out var current))
            {
                return (404, StatusBody(404, "NotFound"));
            }
            if (sent != current["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                return (409, StatusBody(409, "Conflict"));
            }
            Put(name, lease);
            return (200, (JsonObject)lease.DeepClone());
        }
    }

    private static JsonObject StatusBody(int code, string reason) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["reason"] = reason,
        ["code"] = code,
    };
}
