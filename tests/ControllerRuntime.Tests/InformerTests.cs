using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Queue;
using HipaaMongo.ControllerRuntime.Tests.Support;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.ControllerRuntime.Tests;

[KubernetesEntity(Group = "example.io", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "example.io/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}

public class InformerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static Informer<T> Make<T>(IListWatcher<T> source)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new(source, NullLogger.Instance, backoff: new ExponentialBackoffRateLimiter<string>(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20)));

    private static Task Eventually(Func<bool> condition, string what) => HipaaMongo.TestSupport.Eventually.TrueAsync(condition, what, Timeout);

    private static string? Query(string request, string name) =>
        request.Split('?', 2).ElementAtOrDefault(1)?.Split('&').Select(p => p.Split('=', 2))
            .Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault();

    [Fact]
    public async Task Lists_then_watches_applies_events_follows_bookmarks_and_relists_on_410()
    {
        await using var server = await FakeApiServer.StartAsync();
        var a = FakeApiServer.Obj("v1", "ConfigMap", "prod", "a", "5", new() { ["app"] = "db" });
        var b = FakeApiServer.Obj("v1", "ConfigMap", "prod", "b", "6");
        server.ScriptList("10", a, b);

        var c = FakeApiServer.Obj("v1", "ConfigMap", "prod", "c", "11");
        var a2 = FakeApiServer.Obj("v1", "ConfigMap", "prod", "a", "12", new() { ["app"] = "db", ["v"] = "2" });
        server.ScriptWatch(true,
            FakeApiServer.Event("ADDED", c),
            FakeApiServer.Event("MODIFIED", a2),
            FakeApiServer.Event("DELETED", FakeApiServer.Obj("v1", "ConfigMap", "prod", "b", "13")),
            FakeApiServer.Bookmark("v1", "ConfigMap", "20"));
        server.ScriptWatch(true, FakeApiServer.GoneEvent("too old resource version: 20 (25)"));
        server.ScriptWatch(false);
        // The re-list after the 410 sees a different world: c is gone, d is new.
        server.ScriptList("30", a2, FakeApiServer.Obj("v1", "ConfigMap", "prod", "d", "28"));

        using var client = server.Client();
        var informer = Make(new KubernetesListWatcher<V1ConfigMap>(client, ResourceType.For<V1ConfigMap>(), "prod"));
        var seen = new List<string>();
        informer.AddHandler(new ResourceEventHandler<V1ConfigMap>
        {
            OnAdd = o => { lock (seen) { seen.Add("add " + o.Metadata.Name); } },
            OnUpdate = (o, n) => { lock (seen) { seen.Add($"update {n.Metadata.Name} {o.Metadata.ResourceVersion}->{n.Metadata.ResourceVersion}"); } },
            OnDelete = o => { lock (seen) { seen.Add("delete " + o.Metadata.Name); } },
        });

        using var cts = new CancellationTokenSource(Timeout);
        var informerTask = informer.RunAsync(cts.Token);
        await Eventually(() => informer.ListCount == 2 && informer.LastResourceVersion == "30", "re-list after 410");
        await Eventually(() => server.Requests.Count(r => Query(r, "watch") == "true") == 3, "third watch");

        Assert.True(informer.HasSynced);
        Assert.Equal(["a", "d"], informer.Cache.List().Select(o => o.Metadata.Name).Order());
        Assert.Equal("2", informer.Cache.Get(new ObjectKey("prod", "a"))!.Metadata.Labels["v"]);
        Assert.Single(informer.Cache.ListByLabels(new Dictionary<string, string> { ["app"] = "db" }));
        lock (seen)
        {
            Assert.Equal(["add a", "add b", "add c", "update a 5->12", "delete b"], seen[..5]);
            // The re-list reports every listed object again and whatever vanished meanwhile, in no promised order.
            Assert.Equal(["add d", "delete c", "update a 12->12"], seen[5..].Order());
        }

        var watches = server.Requests.Where(r => Query(r, "watch") == "true").ToArray();
        Assert.All(watches, w => Assert.StartsWith("/api/v1/namespaces/prod/configmaps", w));
        Assert.All(watches, w => Assert.Equal("true", Query(w, "allowWatchBookmarks")));
        Assert.Equal(["10", "20", "30"], watches.Select(w => Query(w, "resourceVersion")));
        Assert.Equal(2, server.ListCalls);

        await cts.CancelAsync();
        await informerTask.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_custom_resource_in_all_namespaces_reconnects_after_an_error_and_after_the_stream_ends()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.ScriptList("3", FakeApiServer.Obj("example.io/v1", "Widget", "ns1", "w1", "3"));
        server.ScriptWatchFailure(500);
        server.ScriptWatch(true, FakeApiServer.Event("ADDED", FakeApiServer.Obj("example.io/v1", "Widget", "ns2", "w2", "4")));
        server.ScriptWatch(false, FakeApiServer.Event("ADDED", FakeApiServer.Obj("example.io/v1", "Widget", "ns2", "w3", "5")));

        using var client = server.Client();
        var informer = Make(new KubernetesListWatcher<Widget>(client, ResourceType.For<Widget>()));
        using var cts = new CancellationTokenSource(Timeout);
        var running = informer.RunAsync(cts.Token);

        await Eventually(() => informer.Cache.Count == 3, "three widgets cached");
        Assert.Equal(1, server.ListCalls); // neither an error nor a closed stream needs a re-list
        Assert.Equal(["ns1/w1", "ns2/w2", "ns2/w3"], informer.Cache.Keys().Select(k => k.ToString()).Order());
        var watches = server.Requests.Where(r => Query(r, "watch") == "true").ToArray();
        Assert.All(watches, w => Assert.StartsWith("/apis/example.io/v1/widgets", w));
        Assert.Equal(["3", "3", "4"], watches.Select(w => Query(w, "resourceVersion")));

        await cts.CancelAsync();
        await running.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_resource_the_server_does_not_serve_is_named_with_the_hint_and_synced_once_installed()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.RefuseListsAsNotServed(2);
        server.ScriptList("5", FakeApiServer.Obj("example.io/v1", "Widget", "ns1", "w1", "5"));
        server.ScriptWatch(false);

        using var client = server.Client();
        var logger = new ListLogger();
        var informer = new Informer<Widget>(new KubernetesListWatcher<Widget>(client, ResourceType.For<Widget>()), logger,
            backoff: new ExponentialBackoffRateLimiter<string>(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20)))
        {
            NotServedHint = "install the widget operator",
        };
        using var cts = new CancellationTokenSource(Timeout);
        var running = informer.RunAsync(cts.Token);

        // Two refused lists, then the CRD "appears": the informer syncs by itself, no restart needed.
        await informer.WaitForSyncAsync(cts.Token);
        Assert.Equal(3, server.ListCalls);
        var errors = logger.Lines.Where(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error).ToArray();
        Assert.Equal(2, errors.Length);
        Assert.All(errors, e =>
        {
            Assert.Contains("example.io/v1 widgets", e.Message);
            Assert.Contains("404", e.Message);
            Assert.Contains("install the widget operator", e.Message);
            Assert.Null(e.Exception); // a plain sentence, not a stack trace
        });
        Assert.Equal(["ns1/w1"], informer.Cache.Keys().Select(k => k.ToString()));

        await cts.CancelAsync();
        await running.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_watch_refused_with_HTTP_410_leads_to_a_relist()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.ScriptList("8", FakeApiServer.Obj("v1", "ConfigMap", "prod", "a", "8"));
        server.ScriptList("9", FakeApiServer.Obj("v1", "ConfigMap", "prod", "b", "9"));
        server.ScriptWatchFailure(410);
        server.ScriptWatch(false);

        using var client = server.Client();
        var informer = Make(new KubernetesListWatcher<V1ConfigMap>(client, ResourceType.For<V1ConfigMap>(), "prod"));
        using var cts = new CancellationTokenSource(Timeout);
        var running = informer.RunAsync(cts.Token);

        await Eventually(() => informer.ListCount == 2 && informer.LastResourceVersion == "9", "re-list after HTTP 410");
        Assert.Equal(["b"], informer.Cache.List().Select(o => o.Metadata.Name));

        await cts.CancelAsync();
        await running.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Several_namespaces_share_one_cache_and_a_relist_replaces_only_its_own_namespace()
    {
        await using var server = await FakeApiServer.StartAsync();
        const string PathA = "/api/v1/namespaces/ns-a/configmaps";
        const string PathB = "/api/v1/namespaces/ns-b/configmaps";
        server.ScriptListAt(PathA, "10", FakeApiServer.Obj("v1", "ConfigMap", "ns-a", "a1", "10"));
        server.ScriptListAt(PathA, "40", FakeApiServer.Obj("v1", "ConfigMap", "ns-a", "a2", "40"));
        server.ScriptWatchAt(PathA, true, FakeApiServer.GoneEvent("too old resource version"));
        server.ScriptWatchAt(PathA, false);
        server.ScriptListAt(PathB, "20", FakeApiServer.Obj("v1", "ConfigMap", "ns-b", "b1", "20"));
        server.ScriptWatchAt(PathB, false);

        using var client = server.Client();
        var type = ResourceType.For<V1ConfigMap>();
        var informer = new Informer<V1ConfigMap>(
            [new KubernetesListWatcher<V1ConfigMap>(client, type, "ns-a"), new KubernetesListWatcher<V1ConfigMap>(client, type, "ns-b")],
            NullLogger.Instance);
        using var cts = new CancellationTokenSource(Timeout);
        var running = informer.RunAsync(cts.Token);

        await Eventually(() => informer.ListCount == 3 && informer.Cache.Get(new ObjectKey("ns-a", "a2")) is not null, "ns-a re-listed");
        Assert.True(informer.HasSynced);
        Assert.Equal(["ns-a/a2", "ns-b/b1"], informer.Cache.Keys().Select(k => k.ToString()).Order());
        Assert.Single(informer.Cache.List("ns-b"));

        await cts.CancelAsync();
        await running.WaitAsync(Timeout, TestContext.Current.CancellationToken);
    }
}
