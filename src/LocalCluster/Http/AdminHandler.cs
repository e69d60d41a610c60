using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.LocalCluster.Storage;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>
/// Test control over HTTP (same bearer token): POST /admin/faults {verb,resource,name,code,times,retryAfterSeconds,latencyMs},
/// DELETE /admin/faults, POST /admin/drop-watches, POST /admin/compact, GET /admin/audit, DELETE /admin/audit.
/// </summary>
public sealed class AdminHandler(ObjectStore store, FaultInjector faults, AuditTrail audit)
{
    public async Task HandleAsync(HttpContext ctx, string path)
    {
        var method = ctx.Request.Method;
        switch (path, method)
        {
            case ("/admin/faults", "POST"):
                {
                    var body = RequestBody.ParseJson(await RequestBody.ReadTextAsync(ctx.Request, ctx.RequestAborted)) as JsonObject
                        ?? throw StatusException.BadRequest("expected a JSON object");
                    faults.Add(ParseFault(body));
                    break;
                }
            case ("/admin/faults", "DELETE"):
                faults.Clear();
                break;
            case ("/admin/drop-watches", "POST"):
                store.DropWatches();
                break;
            case ("/admin/compact", "POST"):
                store.Compact();
                break;
            case ("/admin/audit", "GET"):
                {
                    var items = new JsonArray([.. audit.Records.Select(r => (JsonNode)new JsonObject
                    {
                        ["time"] = r.Time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                        ["user"] = r.User,
                        ["verb"] = r.Verb,
                        ["group"] = r.Group,
                        ["resource"] = r.Resource,
                        ["subresource"] = r.Subresource,
                        ["namespace"] = r.Namespace,
                        ["name"] = r.Name,
                        ["code"] = r.Code,
                    })]);
                    await Responses.WriteJsonAsync(ctx, 200, new JsonObject { ["items"] = items });
                    return;
                }
            case ("/admin/audit", "DELETE"):
                audit.Clear();
                break;
            default:
                throw StatusException.ResourceNotFound();
        }
        await Responses.WriteJsonAsync(ctx, 200, new JsonObject { ["status"] = "ok" });
    }

    static Fault ParseFault(JsonObject body)
    {
        try
        {
            return new Fault(
                Semantics.Meta.Str(body["verb"]),
                Semantics.Meta.Str(body["resource"]),
                (int)(Semantics.Meta.Long(body["code"]) ?? 500),
                (int?)Semantics.Meta.Long(body["times"]),
                (int)(Semantics.Meta.Long(body["retryAfterSeconds"]) ?? 1),
                Semantics.Meta.Long(body["latencyMs"]) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                Semantics.Meta.Str(body["name"]));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw StatusException.BadRequest($"bad fault: {e.Message}");
        }
    }
}
