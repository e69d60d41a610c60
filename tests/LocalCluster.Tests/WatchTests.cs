using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Models;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>Watch semantics of doc §10 through the real KubernetesClient and raw streams.</summary>
public sealed class WatchTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    Kubernetes Client => cluster.Client;

    async Task<string> NamespaceAsync(string name)
    {
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    static V1ConfigMap ConfigMap(string name, string value = "v") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, string> { ["key"] = value },
    };

    static Task EventuallyAsync(Func<bool> condition, string what) =>
        Eventually.TrueAsync(condition, what, TimeSpan.FromSeconds(15));

    [Fact]
    public async Task A_watch_resumes_after_a_resource_version_and_sees_later_changes_only()
    {
        var ns = await NamespaceAsync("resume");
        var a = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        a.Data["key"] = "w";
        var a2 = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(a, "a", ns);

        var events = new ConcurrentQueue<(WatchEventType Type, string Name, string Rv)>();
        using var watcher = Client.CoreV1.WatchListNamespacedConfigMap(ns, resourceVersion: a.Metadata.ResourceVersion, onEvent: (t, o) => events.Enqueue((t, o.Metadata.Name, o.Metadata.ResourceVersion)));
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("a", ns);

        await EventuallyAsync(() => events.Count >= 3, "three events");
        var list = events.ToList();
        Assert.Equal((WatchEventType.Modified, "a", a2.Metadata.ResourceVersion), list[0]);
        Assert.Equal((WatchEventType.Added, "b"), (list[1].Type, list[1].Name));
        Assert.Equal((WatchEventType.Deleted, "a"), (list[2].Type, list[2].Name));
    }

    [Fact]
    public async Task A_watch_from_a_compacted_version_gets_an_error_410()
    {
        var ns = await NamespaceAsync("expired");
        var a = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), ns);
        cluster.Server.Compact();

        var errors = new ConcurrentQueue<Exception>();
        using var watcher = Client.CoreV1.WatchListNamespacedConfigMap(ns, resourceVersion: a.Metadata.ResourceVersion, onEvent: (_, _) => { }, onError: errors.Enqueue);
        await EventuallyAsync(() => !errors.IsEmpty, "an error event");
        var e = Assert.IsType<KubernetesException>(errors.First());
        Assert.Equal(410, e.Status.Code);
        Assert.Equal("Expired", e.Status.Reason);
        Assert.StartsWith("too old resource version: ", e.Status.Message);

        // The fix a client makes: list again and watch from the list's version.
        var fresh = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        var seen = new ConcurrentQueue<string>();
        using var again = Client.CoreV1.WatchListNamespacedConfigMap(ns, resourceVersion: fresh.Metadata.ResourceVersion, onEvent: (_, o) => seen.Enqueue(o.Metadata.Name));
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c"), ns);
        await EventuallyAsync(() => seen.Contains("c"), "c after resume");
    }

    [Fact]
    public async Task Label_selected_watch_reports_objects_leaving_the_selection_as_deleted()
    {
        var ns = await NamespaceAsync("leaving");
        var cm = ConfigMap("a");
        cm.Metadata.Labels = new Dictionary<string, string> { ["app"] = "db" };
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        var events = new ConcurrentQueue<(WatchEventType, string)>();
        using var watcher = Client.CoreV1.WatchListNamespacedConfigMap(ns, labelSelector: "app=db", resourceVersion: created.Metadata.ResourceVersion, onEvent: (t, o) => events.Enqueue((t, o.Metadata.Name)));
        created.Metadata.Labels["app"] = "other";
        await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", ns);
        await EventuallyAsync(() => !events.IsEmpty, "an event");
        Assert.Equal((WatchEventType.Deleted, "a"), events.First());
    }

    [Fact]
    public async Task Timeout_seconds_ends_the_stream_and_bookmarks_carry_the_resource_version()
    {
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        using var http = RawHttp.Create(server);
        using var stream = await http.GetStreamAsync("/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=2&resourceVersion=1");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(guard.Token) is { } line)
        {
            lines.Add(line);
        }
        Assert.NotEmpty(lines);
        foreach (var l in lines)
        {
            var e = JsonNode.Parse(l)!;
            Assert.Equal("BOOKMARK", (string?)e["type"]);
            Assert.Equal("ConfigMap", (string?)e["object"]!["kind"]);
            Assert.Equal("v1", (string?)e["object"]!["apiVersion"]);
            Assert.Matches("^[0-9]+$", (string?)e["object"]!["metadata"]!["resourceVersion"]);
        }
    }

    [Fact]
    public async Task Dropping_all_watches_closes_open_streams()
    {
        var ns = await NamespaceAsync("dropped");
        var closed = new TaskCompletionSource();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = Client.CoreV1.WatchListNamespacedConfigMap(ns, onEvent: (_, _) => seen.TrySetResult(), onClosed: () => closed.TrySetResult());
        // The store's watch count is no proof that this watch is open: another test's watches may still be counted
        // until the server notices their clients left. An event delivered on this watch is.
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("proof"), ns);
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        cluster.Server.DropAllWatches();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task More_watches_than_one_http2_connection_allows_by_default_all_see_an_event()
    {
        var ns = await NamespaceAsync("many");
        const int count = 150;
        var seen = 0;
        var watchers = new List<IDisposable>();
        try
        {
            var start = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
            for (var i = 0; i < count; i++)
            {
                watchers.Add(Client.CoreV1.WatchListNamespacedConfigMap(ns, resourceVersion: start.Metadata.ResourceVersion,
                    onEvent: (_, _) => Interlocked.Increment(ref seen)));
            }
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("ping"), ns);
            for (var i = 0; i < 300 && Volatile.Read(ref seen) < count; i++)
            {
                await Task.Delay(100);
            }
            Assert.Equal(count, Volatile.Read(ref seen));
        }
        finally
        {
            watchers.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public async Task Injected_faults_give_a_watch_error_410_and_a_409_on_one_named_update()
    {
        var ns = await NamespaceAsync("faults");
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        cluster.Server.Faults.Add(new HipaaMongo.LocalCluster.Hosting.Fault("watch", "configmaps", 410, Times: 1));
        var errors = new ConcurrentQueue<Exception>();
        using (Client.CoreV1.WatchListNamespacedConfigMap(ns, onEvent: (_, _) => { }, onError: errors.Enqueue))
        {
            await EventuallyAsync(() => !errors.IsEmpty, "the injected error");
        }
        Assert.Equal(410, Assert.IsType<KubernetesException>(errors.First()).Status.Code);

        cluster.Server.Faults.Add(new HipaaMongo.LocalCluster.Hosting.Fault("update", "configmaps", 409, Times: 1, Name: "a"));
        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", ns));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, e.Response.StatusCode);
        created.Data["key"] = "retried";
        var retried = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", ns);
        Assert.Equal("retried", retried.Data["key"]);
    }

    [Fact]
    public async Task Injected_faults_follow_kube_apiserver_shapes_for_410_and_409_and_can_target_a_subresource()
    {
        var ns = await NamespaceAsync("faults-shapes");
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        var rv = created.Metadata.ResourceVersion;

        // The watch cache's way: HTTP 200 and one ERROR event whose Status names the version asked for.
        cluster.Server.Faults.Add(new Fault("watch", "configmaps", 410, Times: 1));
        var errors = new ConcurrentQueue<Exception>();
        using (Client.CoreV1.WatchListNamespacedConfigMap(ns, resourceVersion: rv, onEvent: (_, _) => { }, onError: errors.Enqueue))
        {
            await EventuallyAsync(() => !errors.IsEmpty, "the injected ERROR event");
        }
        var expired = Assert.IsType<KubernetesException>(errors.First()).Status;
        Assert.Equal(("Expired", 410), (expired.Reason, expired.Code));
        Assert.StartsWith($"too old resource version: {rv} (", expired.Message);

        // An older apiserver's way: the watch request itself is refused with HTTP 410.
        cluster.Server.Faults.Add(new Fault("watch", "configmaps", 410, Times: 1) { WatchAsHttpStatus = true });
        var gone = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            Client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, watch: true, resourceVersion: rv));
        Assert.Equal(System.Net.HttpStatusCode.Gone, gone.Response.StatusCode);
        var body = JsonNode.Parse(gone.Response.Content)!;
        Assert.Equal("Expired", body["reason"]!.GetValue<string>());
        Assert.StartsWith($"too old resource version: {rv} (", body["message"]!.GetValue<string>());

        // 409 on a create is AlreadyExists; on an update it is Conflict (a stale resourceVersion).
        cluster.Server.Faults.Add(new Fault("create", "configmaps", 409, Times: 1));
        var exists = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), ns));
        Assert.Equal("AlreadyExists", JsonNode.Parse(exists.Response.Content)!["reason"]!.GetValue<string>());

        // A fault on the status subresource leaves the main resource alone.
        cluster.Server.Faults.Add(new Fault("patch", "namespaces", 409, Times: 1, Name: ns) { Subresource = "status" });
        var labels = new V1Patch("""{"metadata":{"labels":{"chaos":"yes"}}}""", V1Patch.PatchType.MergePatch);
        await Client.CoreV1.PatchNamespaceAsync(labels, ns);
        var conflict = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            Client.CoreV1.PatchNamespaceStatusAsync(new V1Patch("""{"status":{}}""", V1Patch.PatchType.MergePatch), ns));
        var reply = JsonNode.Parse(conflict.Response.Content)!;
        Assert.Equal(("Conflict", 409), (reply["reason"]!.GetValue<string>(), reply["code"]!.GetValue<int>()));
        Assert.Contains("the object has been modified", reply["message"]!.GetValue<string>());
    }
}
