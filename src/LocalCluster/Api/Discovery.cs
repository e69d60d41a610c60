using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>Discovery documents, aggregated (apidiscovery.k8s.io/v2) and legacy (doc §2).</summary>
public static class Discovery
{
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    static readonly string[] SubVerbs = ["get", "patch", "update"];

    static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    /// <summary>Groups in registration order; the core group is "" and served at /api.</summary>
    static IEnumerable<IGrouping<string, ResourceType>> Groups(IEnumerable<ResourceType> types) =>
        types.GroupBy(t => t.Group);

    public static JsonObject Aggregated(IReadOnlyList<ResourceType> types, bool core)
    {
        var items = new JsonArray();
        foreach (var group in Groups(types).Where(g => (g.Key.Length == 0) == core))
        {
            var versions = new JsonArray();
            foreach (var version in group.GroupBy(t => t.Version))
            {
                versions.Add(new JsonObject
                {
                    ["version"] = version.Key,
                    ["resources"] = new JsonArray([.. version.Select(t => (JsonNode)AggregatedResource(t))]),
                    ["freshness"] = "Current",
                });
            }
            items.Add(new JsonObject { ["metadata"] = new JsonObject { ["name"] = group.Key, ["creationTimestamp"] = null }, ["versions"] = versions });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    static JsonObject Kind(ResourceType t, string? kind = null) =>
        new() { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = kind ?? t.Kind };

    static JsonObject AggregatedResource(ResourceType t)
    {
        var r = new JsonObject
        {
            ["resource"] = t.Plural,
            ["responseKind"] = Kind(t),
            ["scope"] = t.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = t.Singular,
            ["verbs"] = Strings(AllVerbs),
        };
        if (t.ShortNames.Count > 0)
        {
            r["shortNames"] = Strings(t.ShortNames);
        }
        if (t.Categories.Count > 0)
        {
            r["categories"] = Strings(t.Categories);
        }
        var subs = new JsonArray();
        if (t.HasStatus)
        {
            subs.Add(new JsonObject { ["subresource"] = "status", ["responseKind"] = Kind(t), ["verbs"] = Strings(SubVerbs) });
        }
        if (t.HasScale)
        {
            subs.Add(new JsonObject { ["subresource"] = "scale", ["responseKind"] = new JsonObject { ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale" }, ["verbs"] = Strings(SubVerbs) });
        }
        if (subs.Count > 0)
        {
            r["subresources"] = subs;
        }
        return r;
    }

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    static JsonObject GroupEntry(IGrouping<string, ResourceType> group)
    {
        var versions = group.Select(t => t.Version).Distinct()
            .Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{group.Key}/{v}", ["version"] = v }).ToArray();
        return new JsonObject
        {
            ["name"] = group.Key,
            ["versions"] = new JsonArray(versions),
            ["preferredVersion"] = versions[0].DeepClone(),
        };
    }

    public static JsonObject GroupList(IReadOnlyList<ResourceType> types) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. Groups(types).Where(g => g.Key.Length > 0).Select(g => (JsonNode)GroupEntry(g))]),
    };

    public static JsonObject? Group(IReadOnlyList<ResourceType> types, string group)
    {
        var g = Groups(types).FirstOrDefault(x => x.Key == group);
        if (g is null)
        {
            return null;
        }
        var entry = GroupEntry(g);
        entry["kind"] = "APIGroup";
        entry["apiVersion"] = "v1";
        return entry;
    }

    public static JsonObject? ResourceList(IReadOnlyList<ResourceType> types, string group, string version)
    {
        var matching = types.Where(t => t.Group == group && t.Version == version).ToList();
        if (matching.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var t in matching)
        {
            var r = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = Strings(AllVerbs),
            };
            if (t.ShortNames.Count > 0)
            {
                r["shortNames"] = Strings(t.ShortNames);
            }
            if (t.Categories.Count > 0)
            {
                r["categories"] = Strings(t.Categories);
            }
            resources.Add(r);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject { ["name"] = t.Plural + "/status", ["singularName"] = "", ["namespaced"] = t.Namespaced, ["kind"] = t.Kind, ["verbs"] = Strings(SubVerbs) });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
