using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>Computes field sets of objects and navigates objects by FieldsV1 paths.</summary>
internal static class FieldWalker
{
    // Fields the apiserver never records in managedFields (managedfields' stripMeta).
    private static readonly HashSet<string> Stripped = new(StringComparer.Ordinal)
    {
        "f:apiVersion",
        "f:kind",
        "f:metadata",
        "f:metadata\nf:name",
        "f:metadata\nf:namespace",
        "f:metadata\nf:generateName",
        "f:metadata\nf:uid",
        "f:metadata\nf:resourceVersion",
        "f:metadata\nf:generation",
        "f:metadata\nf:creationTimestamp",
        "f:metadata\nf:deletionTimestamp",
        "f:metadata\nf:deletionGracePeriodSeconds",
        "f:metadata\nf:selfLink",
        "f:metadata\nf:managedFields",
    };

    /// <summary>Every field an applied configuration sets (Apply style: list items and leaves are members, maps are not).</summary>
    internal static HashSet<string> ApplySet(JsonObject config, PatchSchema schema)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        WalkMap(config, schema, "", set, before: null, update: false);
        set.RemoveWhere(IsStripped);
        return set;
    }

    /// <summary>Fields an ordinary write added or changed (Update style: a newly added map is itself a member).</summary>
    internal static HashSet<string> ChangedSet(JsonObject? before, JsonObject after, PatchSchema schema)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        WalkMap(after, schema, "", set, before ?? [], update: true);
        set.RemoveWhere(IsStripped);
        return set;
    }

    internal static bool IsStripped(string path) =>
        Stripped.Contains(path) || Stripped.Any(s => s.StartsWith("f:metadata\n", StringComparison.Ordinal) && FieldPath.IsPrefixOf(s, path));

    /// <summary>Finds the node a path names; false when any step is missing.</summary>
    internal static bool TryGet(JsonNode? root, string path, PatchSchema schema, out JsonNode? value)
    {
        value = root;
        foreach (var element in FieldPath.Split(path))
        {
            if (!Step(value, element, schema, out var next))
            {
                value = null;
                return false;
            }

            value = next;
            schema = Descend(schema, element);
        }

        return true;
    }

    /// <summary>Removes the node a path names, if present.</summary>
    internal static void Remove(JsonNode root, string path, PatchSchema schema)
    {
        var elements = FieldPath.Split(path);
        if (elements.Length == 0 || !TryGet(root, string.Join(FieldPath.Separator, elements[..^1]), schema, out var parent))
        {
            return;
        }

        var parentSchema = elements[..^1].Aggregate(schema, Descend);
        var last = elements[^1];
        switch (parent)
        {
            case JsonObject obj when last.StartsWith("f:", StringComparison.Ordinal):
                obj.Remove(last[2..]);
                break;
            case JsonArray arr:
                var index = IndexIn(arr, last, parentSchema);
                if (index >= 0)
                {
                    arr.RemoveAt(index);
                }

                break;
        }
    }

    internal static PatchSchema Descend(PatchSchema schema, string element) =>
        element.StartsWith("f:", StringComparison.Ordinal) ? schema.Field(element[2..]) : schema.Items;

    private static bool Step(JsonNode? node, string element, PatchSchema schema, out JsonNode? next)
    {
        next = null;
        switch (node)
        {
            case JsonObject obj when element.StartsWith("f:", StringComparison.Ordinal):
                return obj.TryGetPropertyValue(element[2..], out next);
            case JsonArray arr:
                var index = IndexIn(arr, element, schema);
                next = index >= 0 ? arr[index] : null;
                return index >= 0;
            default:
                return false;
        }
    }

    private static int IndexIn(JsonArray arr, string element, PatchSchema listSchema)
    {
        for (var i = 0; i < arr.Count; i++)
        {
            if (ElementOf(arr[i], i, listSchema) == element)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The path element naming a list item under its list's schema.</summary>
    internal static string ElementOf(JsonNode? item, int index, PatchSchema listSchema) => listSchema.ListKind switch
    {
        ListKind.Map when item is JsonObject o && FieldPath.Key(o, listSchema.MergeKeys) is { } key => key,
        ListKind.Set => FieldPath.Value(item),
        _ => "i:" + index.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static void WalkMap(JsonObject obj, PatchSchema schema, string prefix, HashSet<string> set, JsonObject? before, bool update)
    {
        foreach (var (key, value) in obj)
        {
            JsonNode? old = null;
            var existed = before is not null && before.TryGetPropertyValue(key, out old);
            WalkValue(value, schema.Field(key), FieldPath.Join(prefix, FieldPath.Field(key)), set, existed ? old : null, existed, update);
        }
    }

    private static void WalkValue(JsonNode? value, PatchSchema schema, string path, HashSet<string> set, JsonNode? old, bool existed, bool update)
    {
        if (update && existed && Json.DeepEquals(value, old))
        {
            return; // unchanged: an update claims nothing here
        }

        switch (value)
        {
            case JsonObject obj when obj.Count > 0 && !schema.AtomicMap:
                if (update && !(existed && old is JsonObject))
                {
                    set.Add(path); // a map this write created
                }

                WalkMap(obj, schema, path, set, update ? old as JsonObject ?? [] : null, update);
                break;
            case JsonArray arr when schema.ListKind != ListKind.Atomic:
                WalkList(arr, schema, path, set, update ? old as JsonArray ?? [] : null, update);
                break;
            default:
                set.Add(path);
                break;
        }
    }

    private static void WalkList(JsonArray arr, PatchSchema schema, string path, HashSet<string> set, JsonArray? before, bool update)
    {
        for (var i = 0; i < arr.Count; i++)
        {
            var element = ElementOf(arr[i], i, schema);
            var itemPath = FieldPath.Join(path, element);
            var oldIndex = before is null ? -1 : IndexIn(before, element, schema);
            var existed = oldIndex >= 0;
            if (update && existed && Json.DeepEquals(arr[i], before![oldIndex]))
            {
                continue;
            }

            if (!existed || !update)
            {
                set.Add(itemPath);
            }

            if (arr[i] is JsonObject item && schema.ListKind == ListKind.Map)
            {
                WalkMap(item, schema.Items, itemPath, set, update ? (existed ? before![oldIndex] as JsonObject : []) : null, update);
            }
        }
    }
}
