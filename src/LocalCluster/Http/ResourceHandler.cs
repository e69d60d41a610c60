using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Semantics;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>The REST verbs on one resource path (apiserver endpoints/handlers).</summary>
public sealed class ResourceHandler(ObjectService service, WatchHandler watches, TimeProvider clock)
{
    public static string VerbOf(HttpRequest req, RequestInfo info) => req.Method switch
    {
        "GET" when IsTrue(req.Query["watch"]) => "watch",
        "GET" => info.Name is null ? "list" : "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => info.Name is null ? "deletecollection" : "delete",
        _ => "unknown",
    };

    static bool IsTrue(string? v) => v is "true" or "1" or "True";

    public async Task HandleAsync(HttpContext ctx, RequestInfo info, string verb)
    {
        var req = ctx.Request;
        var ct = ctx.RequestAborted;
        if (info.Subresource == "scale" && info.Type.Kind == "StatefulSet" && info.Name is not null)
        {
            await ScaleAsync(ctx, info, verb);
            return;
        }
        if (info.Subresource is not null && info.Subresource != "status")
        {
            throw StatusException.ResourceNotFound();
        }
        if (info.Subresource == "status" && !info.Type.HasStatus)
        {
            throw StatusException.ResourceNotFound();
        }
        if (info.Type.Namespaced && info.Namespace is null && verb is not ("list" or "watch"))
        {
            throw StatusException.ResourceNotFound();
        }
        switch (verb)
        {
            case "watch":
                await watches.ServeAsync(ctx, info);
                return;
            case "get":
                await ReplyObjectAsync(ctx, 200, info.Type, service.Get(info.Type, info.Namespace, info.Name!));
                return;
            case "list":
                await ListAsync(ctx, info);
                return;
            case "create" when info.Name is null:
                {
                    var body = await RequestBody.ReadObjectAsync(req, ct, !info.Type.IsCustom);
                    var options = Options(req, info);
                    var created = service.Create(info.Type, info.Namespace, body, options);
                    await ReplyObjectAsync(ctx, 201, info.Type, created, options);
                    return;
                }
            case "update" when info.Name is not null:
                {
                    var body = await RequestBody.ReadObjectAsync(req, ct, !info.Type.IsCustom);
                    var options = Options(req, info);
                    var updated = service.Update(info.Type, info.Namespace, info.Name, info.Subresource, body, options);
                    await ReplyObjectAsync(ctx, 200, info.Type, updated, options);
                    return;
                }
            case "patch" when info.Name is not null:
                await PatchAsync(ctx, info);
                return;
            case "delete":
                await DeleteAsync(ctx, info);
                return;
            case "deletecollection":
                await DeleteCollectionAsync(ctx, info);
                return;
            default:
                throw StatusException.MethodNotAllowed();
        }
    }

    async Task ScaleAsync(HttpContext ctx, RequestInfo info, string verb)
    {
        var req = ctx.Request;
        JsonObject reply;
        switch (verb)
        {
            case "get":
                reply = service.GetScale(info.Type, info.Namespace, info.Name!);
                break;
            case "update":
                {
                    var body = await RequestBody.ReadObjectAsync(req, ctx.RequestAborted, builtin: true);
                    reply = service.UpdateScale(info.Type, info.Namespace, info.Name!, _ => body, Options(req, info));
                    break;
                }
            case "patch":
                {
                    var (kind, patch) = await RequestBody.ReadPatchAsync(req, ctx.RequestAborted);
                    reply = service.UpdateScale(info.Type, info.Namespace, info.Name!, scale => ApplyScalePatch(kind, scale, patch), Options(req, info));
                    break;
                }
            default:
                throw StatusException.MethodNotAllowed();
        }
        await Responses.WriteJsonAsync(ctx, 200, reply);
    }

    static JsonObject ApplyScalePatch(PatchKind kind, JsonObject scale, JsonNode? patch)
    {
        try
        {
            var result = kind == PatchKind.Json
                ? HipaaMongo.ApiMachinery.JsonPatch.Apply(scale, patch as JsonArray ?? throw StatusException.BadRequest("json patch must be an array of operations"))
                : HipaaMongo.ApiMachinery.JsonMergePatch.Apply(scale, patch);
            return result as JsonObject ?? throw StatusException.BadRequest("the patch did not produce an object");
        }
        catch (HipaaMongo.ApiMachinery.PatchException e)
        {
            throw new StatusException(e.IsMalformed ? 400 : 422, e.IsMalformed ? "BadRequest" : "Invalid", e.Message, new JsonObject());
        }
    }

    async Task PatchAsync(HttpContext ctx, RequestInfo info)
    {
        var req = ctx.Request;
        var (kind, patch) = await RequestBody.ReadPatchAsync(req, ctx.RequestAborted);
        var options = Options(req, info);
        if (kind == PatchKind.Apply && string.IsNullOrEmpty(req.Query["fieldManager"]))
        {
            throw StatusException.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }
        if (kind != PatchKind.Apply && !string.IsNullOrEmpty(req.Query["force"]))
        {
            throw StatusException.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch");
        }
        var (reply, created) = service.Patch(info.Type, info.Namespace, info.Name!, info.Subresource, kind, patch, options);
        await ReplyObjectAsync(ctx, created ? 201 : 200, info.Type, reply, options);
    }

    async Task DeleteAsync(HttpContext ctx, RequestInfo info)
    {
        var req = ctx.Request;
        var body = await RequestBody.ReadTextAsync(req, ctx.RequestAborted);
        var options = string.IsNullOrWhiteSpace(body) ? new JsonObject() : RequestBody.ParseJson(body) as JsonObject ?? [];
        if (req.Query["propagationPolicy"].ToString() is { Length: > 0 } p)
        {
            options["propagationPolicy"] = p;
        }
        var dryRun = req.Query["dryRun"] == "All" || options["dryRun"] is JsonArray { Count: > 0 };
        var (reply, _) = service.Delete(info.Type, info.Namespace, info.Name!, options, dryRun);
        await Responses.WriteJsonAsync(ctx, 200, reply);
    }

    async Task DeleteCollectionAsync(HttpContext ctx, RequestInfo info)
    {
        var req = ctx.Request;
        var filter = ListFilter.Parse(info.Type, info.Namespace, req.Query["labelSelector"], req.Query["fieldSelector"]);
        var body = await RequestBody.ReadTextAsync(req, ctx.RequestAborted);
        var options = string.IsNullOrWhiteSpace(body) ? new JsonObject() : RequestBody.ParseJson(body) as JsonObject ?? [];
        var (items, _) = service.List(info.Type, info.Namespace, filter.Matches);
        var deleted = new JsonArray();
        foreach (var item in items)
        {
            try
            {
                service.Delete(info.Type, Meta.Namespace(item), Meta.Name(item)!, options, settle: false);
                deleted.Add(item);
            }
            catch (StatusException e) when (e.Code == 404)
            {
                // Deleted concurrently (e.g. by garbage collection): nothing left to do.
            }
        }
        // One garbage-collection pass for the whole collection, not one per object.
        service.SettleGarbage();
        var list = new JsonObject
        {
            ["kind"] = info.Type.ListKind,
            ["apiVersion"] = info.Type.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = service.Store.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        };
        await Responses.WriteJsonAsync(ctx, 200, list);
    }

    async Task ListAsync(HttpContext ctx, RequestInfo info)
    {
        var req = ctx.Request;
        var filter = ListFilter.Parse(info.Type, info.Namespace, req.Query["labelSelector"], req.Query["fieldSelector"]);
        CheckListResourceVersion(req);
        var paging = Paging.Parse(req, info.Type, service.Store.CompactedResourceVersion);
        var page = service.ListChunk(info.Type, info.Namespace, filter.Matches, paging.After, paging.Limit, !filter.HasSelectors);
        var listMeta = paging.ListMeta(page);
        var items = page.Items;
        if (TableRequest.Wants(req))
        {
            var table = Tables.Build(info.Type, items, null, true, TableRequest.IncludeObject(req), clock.GetUtcNow());
            table["metadata"] = listMeta;
            await Responses.WriteJsonAsync(ctx, 200, table, "application/json;as=Table;v=v1;g=meta.k8s.io");
            return;
        }
        if (!info.Type.IsCustom)
        {
            foreach (var item in items)
            {
                item.Remove("apiVersion");
                item.Remove("kind");
            }
        }
        var list = new JsonObject
        {
            ["kind"] = info.Type.ListKind,
            ["apiVersion"] = info.Type.GroupVersion,
            ["metadata"] = listMeta,
            ["items"] = new JsonArray([.. items]),
        };
        await Responses.WriteJsonAsync(ctx, 200, list);
    }

    void CheckListResourceVersion(HttpRequest req)
    {
        var rv = req.Query["resourceVersion"].ToString();
        if (rv.Length == 0)
        {
            return;
        }
        if (Meta.ParseRv(rv) is not { } n)
        {
            throw StatusException.BadRequest($"resourceVersion: Invalid value: \"{rv}\": must be a non-negative integer");
        }
        if (req.Query["resourceVersionMatch"] == "Exact" && n < service.Store.CompactedResourceVersion)
        {
            throw new StatusException(410, "Expired", $"The resourceVersion for the provided list is too old.", new JsonObject());
        }
        if (n > service.Store.CurrentResourceVersion)
        {
            throw new StatusException(504, "Timeout", "Too large resource version", new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
                ["retryAfterSeconds"] = 1,
            });
        }
    }

    static WriteOptions Options(HttpRequest req, RequestInfo info)
    {
        _ = info;
        var manager = req.Query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            var ua = req.Headers.UserAgent.ToString();
            manager = ua.Length == 0 ? "unknown" : ua.Split('/')[0];
        }
        var validation = req.Query["fieldValidation"].ToString();
        if (validation.Length > 0 && validation is not ("Strict" or "Warn" or "Ignore"))
        {
            throw StatusException.BadRequest($"fieldValidation: Unsupported value: \"{validation}\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        return new WriteOptions(manager, req.Query["dryRun"] == "All", validation.Length == 0 ? "Warn" : validation, IsTrue(req.Query["force"]));
    }

    async Task ReplyObjectAsync(HttpContext ctx, int code, ResourceType type, JsonObject obj, WriteOptions? options = null)
    {
        foreach (var w in options?.Warnings ?? [])
        {
            ctx.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
        if (TableRequest.Wants(ctx.Request) && obj["kind"]?.ToString() != "Status")
        {
            var rv = obj["metadata"]?["resourceVersion"]?.ToString();
            await Responses.WriteJsonAsync(ctx, code, Tables.Build(type, [obj], rv, true, TableRequest.IncludeObject(ctx.Request), clock.GetUtcNow()),
                "application/json;as=Table;v=v1;g=meta.k8s.io");
            return;
        }
        await Responses.WriteJsonAsync(ctx, code, obj);
    }
}
