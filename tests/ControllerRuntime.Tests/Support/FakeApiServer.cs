using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ControllerRuntime.Tests.Support;

/// <summary>
/// A deliberately tiny stand-in for kube-apiserver: for any collection path it serves a list (the objects the
/// test put in <see cref="Objects"/>, with <see cref="ListResourceVersion"/>) or, with watch=true, the next
/// scripted watch stream: newline-delimited watch events written and flushed one by one over a chunked
/// response, exactly the wire format of a real watch. A script either ends the stream or holds it open.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<WatchScript> _scripts = Channel.CreateUnbounded<WatchScript>();
    private readonly ConcurrentDictionary<string, Channel<WatchScript>> _pathScripts = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(string, JsonObject[])>> _pathLists = new();

    private FakeApiServer(WebApplication app) => _app = app;

    private readonly ConcurrentQueue<(string ResourceVersion, JsonObject[] Items)> _lists = new();
    private int _listCalls;

    public ConcurrentQueue<string> Requests { get; } = new();

    public int ListCalls => Volatile.Read(ref _listCalls);

    private int _notServedLists;

    /// <summary>
    /// Answers the next <paramref name="times"/> lists with kube-apiserver's 404 for a resource it does not serve
    /// (a CRD not installed): a Status with reason NotFound and "the server could not find the requested resource".
    /// </summary>
    public void RefuseListsAsNotServed(int times) => Volatile.Write(ref _notServedLists, times);

    /// <summary>Queues a list response; the last one queued is served again once the others are used up.</summary>
    public void ScriptList(string resourceVersion, params JsonObject[] items) => _lists.Enqueue((resourceVersion, items));

    public string BaseUrl => _app.Urls.First();

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    public IKubernetes Client() => new Kubernetes(new KubernetesClientConfiguration { Host = BaseUrl });

    /// <summary>Queues the next watch stream: these event lines, then close (or hold open until the client leaves).</summary>
    public void ScriptWatch(bool close, params string[] lines) => _scripts.Writer.TryWrite(new WatchScript(lines, close, 200));

    /// <summary>Like <see cref="ScriptList"/> and <see cref="ScriptWatch"/>, but only for requests to <paramref name="path"/>.</summary>
    public void ScriptListAt(string path, string resourceVersion, params JsonObject[] items) =>
        _pathLists.GetOrAdd(path, _ => new()).Enqueue((resourceVersion, items));

    public void ScriptWatchAt(string path, bool close, params string[] lines) =>
        _pathScripts.GetOrAdd(path, _ => Channel.CreateUnbounded<WatchScript>()).Writer.TryWrite(new WatchScript(lines, close, 200));

    public Leases Leases { get; } = new();

    /// <summary>When set, list requests wait for it (to observe a host whose caches have not synced yet).</summary>
    public TaskCompletionSource? ListGate { get; set; }

    public EventStore Events { get; } = new();

    /// <summary>Queues a watch request that fails with an HTTP status before streaming.</summary>
    public void ScriptWatchFailure(int status) => _scripts.Writer.TryWrite(new WatchScript([], true, status));

    public static string Event(string type, JsonObject obj) =>
        new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString();

    /// <summary>The ERROR event a real apiserver sends when the watch's resourceVersion was compacted away.</summary>
    public static string GoneEvent(string message) => new JsonObject
    {
        ["type"] = "ERROR",
        ["object"] = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = "Expired",
            ["code"] = 410,
        },
    }.ToJsonString();

    public static string Bookmark(string apiVersion, string kind, string resourceVersion) => Event("BOOKMARK", new JsonObject
    {
        ["kind"] = kind,
        ["apiVersion"] = apiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
    });

    public static JsonObject Obj(string apiVersion, string kind, string ns, string name, string resourceVersion,
        Dictionary<string, string>? labels = null)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns, ["resourceVersion"] = resourceVersion, ["uid"] = $"uid-{name}" };
        if (labels is not null)
        {
            meta["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = meta };
    }

    /// <summary>Bearer tokens a TokenReview authenticates, and the user each stands for.</summary>
    public ConcurrentDictionary<string, string> Tokens { get; } = new();

    /// <summary>Users a SubjectAccessReview allows to get /metrics.</summary>
    public ConcurrentDictionary<string, bool> MetricsReaders { get; } = new();

    // TokenReview and SubjectAccessReview as kube-apiserver answers them, reduced to what a test scripts.
    private async Task<bool> TryReviewAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        if (context.Request.Method != "POST" || !path.EndsWith("reviews", StringComparison.Ordinal))
        {
            return false;
        }
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var spec = body["spec"]!;
        if (path.EndsWith("/tokenreviews", StringComparison.Ordinal))
        {
            var known = Tokens.TryGetValue(spec["token"]!.GetValue<string>(), out var user);
            body["status"] = known
                ? new JsonObject { ["authenticated"] = true, ["user"] = new JsonObject { ["username"] = user, ["groups"] = new JsonArray("system:authenticated") } }
                : new JsonObject { ["authenticated"] = false, ["error"] = "invalid bearer token" };
        }
        else
        {
            var allowed = MetricsReaders.ContainsKey(spec["user"]!.GetValue<string>())
                && spec["nonResourceAttributes"]?["path"]?.GetValue<string>() == "/metrics"
                && spec["nonResourceAttributes"]?["verb"]?.GetValue<string>() == "get";
            body["status"] = new JsonObject { ["allowed"] = allowed };
        }
        context.Response.StatusCode = 201;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        return true;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        Requests.Enqueue(request.Path + request.QueryString);
        if (await TryReviewAsync(context))
        {
            return;
        }
        if (request.Path.Value!.Contains("/events", StringComparison.Ordinal) && request.Method != "GET")
        {
            await Events.HandleAsync(context);
            return;
        }
        if (request.Path.Value!.Contains("/leases", StringComparison.Ordinal))
        {
            await Leases.HandleAsync(context);
            return;
        }
        if (request.Query["watch"] == "true")
        {
            await ServeWatchAsync(context);
            return;
        }
        if (ListGate is { } gate)
        {
            await gate.Task.WaitAsync(context.RequestAborted);
        }
        Interlocked.Increment(ref _listCalls);
        if (Interlocked.Decrement(ref _notServedLists) >= 0)
        {
            await WriteNotFoundAsync(context);
            return;
        }
        var lists = _pathLists.TryGetValue(context.Request.Path.Value!, out var own) ? own : _lists;
        var (version, items) = lists.Count > 1 && lists.TryDequeue(out var next) ? next
            : lists.TryPeek(out var last) ? last : ("1", []);
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["metadata"] = new JsonObject { ["resourceVersion"] = version },
            ["items"] = new JsonArray([.. items.Select(o => o.DeepClone())]),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static async Task WriteNotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = 404;
        context.Response.ContentType = "application/json";
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = "the server could not find the requested resource",
            ["reason"] = "NotFound",
            ["details"] = new JsonObject(),
            ["code"] = 404,
        };
        await context.Response.WriteAsync(status.ToJsonString(), context.RequestAborted);
    }

    private async Task ServeWatchAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        WatchScript script;
        try
        {
            var channel = _pathScripts.TryGetValue(context.Request.Path.Value!, out var own) ? own : _scripts;
            script = await channel.Reader.ReadAsync(aborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        context.Response.StatusCode = script.Status;
        context.Response.ContentType = "application/json";
        if (script.Status != 200)
        {
            var status = new JsonObject
            {
                ["kind"] = "Status",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject(),
                ["status"] = "Failure",
                ["reason"] = script.Status == 410 ? "Expired" : "InternalError",
                ["code"] = script.Status,
            };
            await context.Response.WriteAsync(status.ToJsonString(), aborted);
            return;
        }
        await context.Response.StartAsync(aborted);
        foreach (var line in script.Lines)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), aborted);
            await context.Response.Body.FlushAsync(aborted);
        }
        if (!script.Close)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, aborted);
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record WatchScript(string[] Lines, bool Close, int Status);
}
