using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>How a list merges (structured-merge-diff <c>x-kubernetes-list-type</c>).</summary>
public enum ListKind
{
    /// <summary>Replaced whole by every writer (the default for unknown lists and CR lists).</summary>
    Atomic,

    /// <summary>Associative: items are identified by <see cref="PatchSchema.MergeKeys"/>.</summary>
    Map,

    /// <summary>Set of scalars (e.g. <c>metadata.finalizers</c>): merged by value.</summary>
    Set,
}

/// <summary>
/// Patch metadata for one node of an object: its list strategy, merge keys and children. Built-in kinds get the
/// tables of their Go struct tags (<c>patchStrategy</c>/<c>patchMergeKey</c>/<c>listType</c>); CRDs get theirs from
/// <c>x-kubernetes-list-type</c>/<c>x-kubernetes-list-map-keys</c>. Unknown nodes are maps merged by key with
/// atomic lists, which is what kube-apiserver does for fields it has no metadata for.
/// </summary>
public sealed class PatchSchema
{
    /// <summary>kube-apiserver's 415 message for a strategic merge patch on a custom resource.</summary>
    public const string StrategicMergeUnsupportedMessage =
        "the body of the request was in an unknown format - accepted media types include: " +
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

    private readonly Dictionary<string, PatchSchema> children = new(StringComparer.Ordinal);
    private PatchSchema? mapValues;
    private PatchSchema? items;

    /// <summary>The schema of anything unknown: maps merge, lists are atomic.</summary>
    public static PatchSchema Unknown { get; } = new();

    /// <summary>False for custom resources and unknown kinds: strategic merge patch is then answered with 415.</summary>
    public bool SupportsStrategicMerge { get; private set; }

    /// <summary>List behaviour when this node is a list.</summary>
    public ListKind ListKind { get; private set; }

    /// <summary>Merge keys for <see cref="ListKind.Map"/> lists (SSA identity; the first is the SMP merge key).</summary>
    public IReadOnlyList<string> MergeKeys { get; private set; } = [];

    /// <summary>Strategic-merge <c>patchStrategy</c> includes <c>retainKeys</c> (e.g. pod volumes).</summary>
    public bool RetainKeys { get; private set; }

    /// <summary>A map that is replaced whole (<c>x-kubernetes-map-type: atomic</c>).</summary>
    public bool AtomicMap { get; private set; }

    /// <summary>Schema of list items, for lists.</summary>
    public PatchSchema Items => items ?? Unknown;

    /// <summary>Schema of a named child field; <see cref="Unknown"/> when none is recorded.</summary>
    public PatchSchema Field(string name) =>
        children.TryGetValue(name, out var child) ? child : mapValues ?? Unknown;

    /// <summary>The table for a built-in kind, or a merge-patch-only schema (SupportsStrategicMerge false) for anything else.</summary>
    public static PatchSchema ForKind(string group, string version, string kind) =>
        BuiltInPatchSchemas.Find(group, version, kind) ?? FromOpenApi(null);

    /// <summary>Schema of a custom resource from its CRD <c>openAPIV3Schema</c> (null: no list metadata).</summary>
    public static PatchSchema FromOpenApi(JsonObject? openApiV3Schema)
    {
        var root = openApiV3Schema is null ? new PatchSchema() : FromOpenApiNode(openApiV3Schema);
        root.children["metadata"] = BuiltInPatchSchemas.ObjectMeta;
        return root;
    }

    internal static PatchSchema Object(bool strategic, params (string Name, PatchSchema Schema)[] fields)
    {
        var schema = new PatchSchema { SupportsStrategicMerge = strategic };
        foreach (var (name, child) in fields)
        {
            schema.children[name] = child;
        }

        return schema;
    }

    internal static PatchSchema MapList(PatchSchema items, params string[] keys) =>
        new() { ListKind = ListKind.Map, MergeKeys = keys, items = items };

    internal static PatchSchema SetList() => new() { ListKind = ListKind.Set };

    internal static PatchSchema AtomicList(PatchSchema? items = null) => new() { ListKind = ListKind.Atomic, items = items };

    /// <summary>A struct replaced whole by server-side apply (<c>+structType=atomic</c>, e.g. metav1.LabelSelector).</summary>
    internal static PatchSchema AtomicObject() => new() { AtomicMap = true, SupportsStrategicMerge = true };

    internal PatchSchema WithRetainKeys()
    {
        RetainKeys = true;
        return this;
    }

    private static PatchSchema FromOpenApiNode(JsonObject node)
    {
        var schema = new PatchSchema();
        if (node["properties"] is JsonObject props)
        {
            foreach (var (name, child) in props)
            {
                if (child is JsonObject c)
                {
                    schema.children[name] = FromOpenApiNode(c);
                }
            }
        }

        if (node["additionalProperties"] is JsonObject additional)
        {
            schema.mapValues = FromOpenApiNode(additional);
        }

        schema.AtomicMap = Json.AsString(node["x-kubernetes-map-type"]) == "atomic";
        if (node["items"] is JsonObject itemSchema)
        {
            schema.items = FromOpenApiNode(itemSchema);
            schema.ListKind = Json.AsString(node["x-kubernetes-list-type"]) switch
            {
                "map" => ListKind.Map,
                "set" => ListKind.Set,
                _ => ListKind.Atomic,
            };
            schema.MergeKeys = node["x-kubernetes-list-map-keys"] is JsonArray keys
                ? keys.Select(Json.AsString).OfType<string>().ToArray()
                : [];
        }

        return schema;
    }
}
