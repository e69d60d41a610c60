using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Storage;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>The store's namespace index and snapshots (lists read one namespace; readers keep a consistent view).</summary>
public class ObjectStoreTests
{
    static JsonObject Obj(string? ns, string name) => new()
    {
        ["metadata"] = ns is null ? new JsonObject { ["name"] = name } : new JsonObject { ["name"] = name, ["namespace"] = ns },
    };

    static List<string> Names(IEnumerable<JsonObject> objects) => [.. objects.Select(o => (string)o["metadata"]!["name"]!)];

    [Fact]
    public void Lists_one_namespace_in_name_order_and_all_in_namespace_then_name_order()
    {
        var store = new ObjectStore(100);
        foreach (var (ns, name) in new[] { ("b", "y"), ("a", "z"), ("b", "x"), ("a-b", "w") })
        {
            store.Put("/configmaps", Obj(ns, name), null);
        }
        Assert.Equal(["x", "y"], Names(store.List("/configmaps", "b")));
        Assert.Empty(store.List("/configmaps", "c"));
        Assert.Equal(["z", "w", "x", "y"], Names(store.List("/configmaps", null)));
    }

    [Fact]
    public void A_snapshot_is_unaffected_by_later_writes()
    {
        var store = new ObjectStore(100);
        store.Put("/namespaces", Obj(null, "one"), null);
        var snapshot = store.Snapshot("/namespaces", null);
        var two = store.Put("/namespaces", Obj(null, "two"), null);
        store.Remove("/namespaces", store.Get("/namespaces", null, "one")!);
        Assert.Equal(["one"], Names(snapshot));
        Assert.Equal(["two"], Names(store.List("/namespaces", null)));
        Assert.Same(two, store.Get("/namespaces", null, "two"));
    }

    [Fact]
    public void A_watch_from_now_starts_with_the_objects_at_subscription()
    {
        var store = new ObjectStore(100);
        store.Put("/configmaps", Obj("a", "before"), null);
        using var watcher = store.Subscribe("/configmaps", null, out var backlog);
        store.Put("/configmaps", Obj("a", "after"), null);
        Assert.Equal(["before"], Names(backlog.Select(e => e.Object)));
        Assert.True(watcher!.Events.Reader.TryRead(out var next));
        Assert.Equal("after", (string?)next.Object["metadata"]!["name"]);
    }
}
