using System.Globalization;
using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Apply;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// The cache of defaulted renders keeps every child of every live HipaaMongo, however many there are, and drops
/// only the children of owners that are gone. The writer points at a closed port: any cache miss would try a dry-run
/// and throw, so a lookup that returns proves a hit.
/// </summary>
public sealed class DefaultedRendersTests
{
    private static readonly Type Model = typeof(V1ConfigMap);

    [Fact]
    public async Task Children_of_a_thousand_live_owners_stay_cached()
    {
        using var client = Unreachable();
        var owners = Enumerable.Range(0, 1_000).Select(Uid).ToList();
        var renders = new DefaultedRenders(new ObjectWriter(client), () => owners);
        var children = owners.SelectMany(o => Enumerable.Range(0, 12).Select(c => Child(o, c))).ToList();

        foreach (var child in children)
        {
            renders.Learn(Model, child, Stored(child));
        }

        Assert.Equal(12_000, renders.Count);
        foreach (var child in children.Take(100))
        {
            var cached = await renders.ForAsync(Model, PathOf(child), child, Stored(child), TestContext.Current.CancellationToken);
            Assert.Equal(child["metadata"]!["name"]!.GetValue<string>(), cached["metadata"]!["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Children_of_owners_that_are_gone_are_dropped_when_the_cache_has_grown()
    {
        using var client = Unreachable();
        var live = Enumerable.Range(0, 300).Select(Uid).ToList(); // 3,600 children: under the first check at 4,096
        var renders = new DefaultedRenders(new ObjectWriter(client), () => live);
        foreach (var child in live.SelectMany(o => Enumerable.Range(0, 12).Select(c => Child(o, c))))
        {
            renders.Learn(Model, child, Stored(child));
        }
        live = [.. live.Take(100)]; // 200 finalized elsewhere: nobody called Forget for them
        Assert.Equal(3_600, renders.Count);

        // The check comes when the cache reaches 4,096 entries: 496 more children of a live owner.
        foreach (var child in Enumerable.Range(0, 496).Select(c => Child(live[0], 100 + c)))
        {
            renders.Learn(Model, child, Stored(child));
        }

        Assert.Equal((100 * 12) + 496, renders.Count);
    }

    private static string Uid(int i) => "owner-" + i.ToString("D4", CultureInfo.InvariantCulture);

    private static JsonObject Child(string owner, int i) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = $"{owner}-child-{i}",
            ["namespace"] = "ns",
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "hipaa.mongooperator.io/v1alpha1",
                ["kind"] = "HipaaMongo",
                ["name"] = owner,
                ["uid"] = owner,
                ["controller"] = true,
            }),
        },
        ["data"] = new JsonObject { ["k"] = "v" },
    };

    // What the API server returns for it: the same object with a uid of its own.
    private static JsonObject Stored(JsonObject child)
    {
        var stored = child.DeepClone().AsObject();
        stored["metadata"]!["uid"] = "uid-" + child["metadata"]!["name"]!.GetValue<string>();
        return stored;
    }

    private static ResourcePath PathOf(JsonObject child) => ResourceKinds.Of(KubernetesJson.Deserialize<V1ConfigMap>(child.ToJsonString()));

    private static Kubernetes Unreachable() => new(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
}
