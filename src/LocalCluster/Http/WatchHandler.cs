using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Semantics;
using HipaaMongo.LocalCluster.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>
/// Watch streams (doc §10): one JSON event per line, flushed; resume from a resourceVersion; ERROR 410 once
/// compacted; bookmarks when asked; timeoutSeconds closes cleanly; Table events for `kubectl get -w`.
/// </summary>
public sealed class WatchHandler(ObjectService service, TimeProvider clock, Func<TimeSpan> bookmarkInterval)
{
    sealed class Stream(HttpContext ctx, ResourceType type, bool table)
    {
        bool columnsSent;

        public long LastRv { get; set; }

        public async Task SendAsync(string eventType, JsonObject obj, DateTimeOffset now)
        {
            JsonNode payload = obj;
            if (table && eventType is not ("ERROR" or "BOOKMARK"))
            {
                payload = Tables.Build(type, [obj], Meta.Str(obj["metadata"]?["resourceVersion"]), !columnsSent, TableRequest.IncludeObject(ctx.Request), now);
                columnsSent = true;
            }
            var line = Responses.Serialize(new JsonObject { ["type"] = eventType, ["object"] = payload }) + "\n";
            await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), ctx.RequestAborted);
        }

        public Task FlushAsync() => ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }

    public async Task ServeAsync(HttpContext ctx, RequestInfo info)
    {
        var req = ctx.Request;
        var type = info.Type;
        var filter = ListFilter.Parse(type, info.Namespace, req.Query["labelSelector"], req.Query["fieldSelector"]);
        var rvText = req.Query["resourceVersion"].ToString();
        long? fromRv = rvText is "" or "0" ? null : Meta.ParseRv(rvText) ?? throw StatusException.BadRequest($"resourceVersion: Invalid value: \"{rvText}\": must be a non-negative integer");
        var sendInitial = req.Query["sendInitialEvents"] == "true";
        if (sendInitial && req.Query["resourceVersionMatch"] != "NotOlderThan")
        {
            throw StatusException.Invalid(type, "", [new FieldError("resourceVersionMatch", "FieldValueForbidden", "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")]);
        }
        if (sendInitial)
        {
            fromRv = null;
        }
        var bookmarks = req.Query["allowWatchBookmarks"] == "true";
        var timeout = int.TryParse(req.Query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0
            ? TimeSpan.FromSeconds(t) : (TimeSpan?)null;

        using var watcher = service.Store.Subscribe(type.StoreKey, fromRv, out var backlog);
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = TableRequest.Wants(req) ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json";
        var stream = new Stream(ctx, type, TableRequest.Wants(req)) { LastRv = fromRv ?? service.Store.CurrentResourceVersion };
        if (watcher is null)
        {
            var expired = new StatusException(410, "Expired", $"too old resource version: {fromRv} ({service.Store.CompactedResourceVersion})").ToStatus();
            expired.Remove("details");
            await stream.SendAsync("ERROR", expired, clock.GetUtcNow());
            await stream.FlushAsync();
            return;
        }
        if (fromRv > service.Store.CurrentResourceVersion)
        {
            var tooLarge = new StatusException(504, "Timeout", "Too large resource version").ToStatus();
            await stream.SendAsync("ERROR", tooLarge, clock.GetUtcNow());
            await stream.FlushAsync();
            return;
        }
        await ctx.Response.StartAsync(ctx.RequestAborted);
        foreach (var e in backlog)
        {
            await SendEventAsync(stream, type, filter, e);
        }
        if (sendInitial)
        {
            await stream.SendAsync("BOOKMARK", Bookmark(type, stream.LastRv, initialEnd: true), clock.GetUtcNow());
        }
        await stream.FlushAsync();
        await PumpAsync(ctx, watcher, stream, type, filter, bookmarks, timeout);
    }

    async Task PumpAsync(HttpContext ctx, Watcher watcher, Stream stream, ResourceType type, ListFilter filter, bool bookmarks, TimeSpan? timeout)
    {
        using var end = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, watcher.Dropped);
        if (timeout is { } limit)
        {
            end.CancelAfter(limit);
        }
        var reader = watcher.Events.Reader;
        while (!end.IsCancellationRequested)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(end.Token);
            tick.CancelAfter(bookmarkInterval());
            try
            {
                if (!await reader.WaitToReadAsync(tick.Token))
                {
                    return;
                }
                while (reader.TryRead(out var e))
                {
                    await SendEventAsync(stream, type, filter, e);
                }
                await stream.FlushAsync();
            }
            catch (OperationCanceledException) when (!end.IsCancellationRequested)
            {
                if (bookmarks)
                {
                    await stream.SendAsync("BOOKMARK", Bookmark(type, stream.LastRv, initialEnd: false), clock.GetUtcNow());
                    await stream.FlushAsync();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    static JsonObject Bookmark(ResourceType type, long rv, bool initialEnd)
    {
        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (initialEnd)
        {
            meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }
        return new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.GroupVersion, ["metadata"] = meta };
    }

    /// <summary>Sends one store event through the filter: objects entering the selection are ADDED, leaving it DELETED.</summary>
    async Task SendEventAsync(Stream stream, ResourceType type, ListFilter filter, WatchEvent e)
    {
        stream.LastRv = Math.Max(stream.LastRv, e.ResourceVersion);
        var now = filter.Matches(e.Object);
        var before = e.Old is not null && filter.Matches(e.Old);
        string? kind = e.Type switch
        {
            "ADDED" => now ? "ADDED" : null,
            "DELETED" => before || now ? "DELETED" : null,
            _ => (before, now) switch
            {
                (true, true) => "MODIFIED",
                (false, true) => "ADDED",
                (true, false) => "DELETED",
                _ => null,
            },
        };
        if (kind is not null)
        {
            await stream.SendAsync(kind, ObjectService.Present(type, e.Object), clock.GetUtcNow());
        }
    }
}
