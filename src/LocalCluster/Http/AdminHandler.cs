using System.Text.Json.Nodes;
using HipaaMongo.ApiMachinery.Time;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.LocalCluster.Storage;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>
/// Test control over HTTP (same bearer token): POST /admin/faults {verb,resource,name,subresource,code,times,retryAfterSeconds,latencyMs,watchAsHttpStatus},
/// DELETE /admin/faults, POST /admin/drop-watches, POST /admin/compact, GET /admin/audit, DELETE /admin/audit,
/// GET /admin/clock, POST /admin/clock/advance?by=&lt;Go duration&gt; (with a <see cref="ClockHook"/>),
/// POST /admin/members/faults {namespace,pod,fault,peers,delay} (with a <see cref="MemberFaultHook"/>).
/// </summary>
public sealed class AdminHandler(ObjectStore store, FaultInjector faults, AuditTrail audit, ClockHook? clock = null)
{
    /// <summary>Where member faults go; null: the endpoint answers 400.</summary>
    public MemberFaultHook? MemberFaults { get; init; }

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
            case ("/admin/clock", "GET"):
                await Responses.WriteJsonAsync(ctx, 200, ClockReply(RequireClock()));
                return;
            case ("/admin/clock/advance", "POST"):
                {
                    var hook = RequireClock();
                    var by = ParseAdvance(ctx.Request.Query["by"].ToString());
                    hook.Advance(by);
                    var reply = ClockReply(hook);
                    reply["advancedBy"] = GoDuration.Format(by);
                    await Responses.WriteJsonAsync(ctx, 200, reply);
                    return;
                }
            case ("/admin/members/faults", "POST"):
                {
                    var body = RequestBody.ParseJson(await RequestBody.ReadTextAsync(ctx.Request, ctx.RequestAborted)) as JsonObject
                        ?? throw StatusException.BadRequest("expected a JSON object");
                    var handler = MemberFaults?.Handler
                        ?? throw StatusException.BadRequest("no member simulation runs here (start local-cluster with --simulate workloads)");
                    if (await handler(ParseMemberFault(body)) is { } refused)
                    {
                        throw StatusException.BadRequest(refused);
                    }
                    break;
                }
            case ("/admin/audit", "DELETE"):
                audit.Clear();
                break;
            default:
                throw StatusException.ResourceNotFound();
        }
        await Responses.WriteJsonAsync(ctx, 200, new JsonObject { ["status"] = "ok" });
    }

    ClockHook RequireClock() => clock
        ?? throw StatusException.BadRequest("no clock is configured: this server was started without a virtual clock (LocalClusterOptions.Clock)");

    static JsonObject ClockReply(ClockHook hook) => new()
    {
        ["now"] = hook.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>`by` is a Go duration (time.ParseDuration), as Kubernetes flags take them; time never goes back.</summary>
    static TimeSpan ParseAdvance(string by)
    {
        if (by.Length == 0)
        {
            throw StatusException.BadRequest("query parameter \"by\" is required: a Go duration such as 90s, 15m or 2160h");
        }
        if (!GoDuration.TryParse(by, out var duration, out var reason))
        {
            throw StatusException.BadRequest($"invalid \"by\": {reason} (expected a Go duration such as 90s, 15m or 2160h)");
        }
        return duration < TimeSpan.Zero
            ? throw StatusException.BadRequest($"invalid \"by\": \"{by}\" is negative; the clock only moves forward")
            : duration;
    }

    static MemberFaultRequest ParseMemberFault(JsonObject body)
    {
        try
        {
            string Required(string field) => Semantics.Meta.Str(body[field]) is { Length: > 0 } v
                ? v
                : throw StatusException.BadRequest($"member fault needs \"{field}\"");
            var peers = body["peers"] is JsonArray list ? list.Select(p => p?.GetValue<string>() ?? "").ToList() : [];
            var delay = TimeSpan.Zero;
            if (Semantics.Meta.Str(body["delay"]) is { } text && (!GoDuration.TryParse(text, out delay, out _) || delay < TimeSpan.Zero))
            {
                throw StatusException.BadRequest($"invalid \"delay\": \"{text}\" (expected a non-negative Go duration such as 30s)");
            }
            return new MemberFaultRequest(Required("namespace"), Required("pod"), Required("fault"), peers, delay);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw StatusException.BadRequest($"bad member fault: {e.Message}");
        }
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
                Semantics.Meta.Str(body["name"]))
            {
                Subresource = Semantics.Meta.Str(body["subresource"]),
                WatchAsHttpStatus = body["watchAsHttpStatus"]?.GetValue<bool>() ?? false,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw StatusException.BadRequest($"bad fault: {e.Message}");
        }
    }
}
