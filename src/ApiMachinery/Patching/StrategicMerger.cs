using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// The recursive strategic merge of k8s.io/apimachinery/pkg/util/strategicpatch (mergeMap/mergeSlice), with the
/// directives kubectl sends: <c>$patch</c> (replace/delete/merge), <c>$retainKeys</c>,
/// <c>$deleteFromPrimitiveList/&lt;f&gt;</c> and <c>$setElementOrder/&lt;f&gt;</c>.
/// </summary>
internal static class StrategicMerger
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string DeleteFromPrimitivePrefix = "$deleteFromPrimitiveList/";
    private const string SetElementOrderPrefix = "$setElementOrder/";

    internal static JsonNode? Merge(JsonNode? original, JsonNode? patch, PatchSchema schema)
    {
        if (patch is not JsonObject p)
        {
            return Json.Clone(patch);
        }

        return MergeMap(original as JsonObject, p, schema) ?? new JsonObject();
    }

    // Returns null when the map is deleted by "$patch": "delete".
    private static JsonObject? MergeMap(JsonObject? original, JsonObject patch, PatchSchema schema)
    {
        switch (Json.AsString(patch[PatchDirective]))
        {
            case null or "merge":
                break;
            case "replace":
                return MergeMap(null, WithoutDirective(patch), schema);
            case "delete":
                return null;
            case var other:
                throw new PatchException($"unknown patch type: {other} in map: {patch.ToJsonString()}");
        }

        // structType=atomic does not affect strategic merge (it follows patchStrategy tags only).
        var result = original is null ? [] : (JsonObject)original.DeepClone();
        foreach (var (key, value) in patch)
        {
            MergeKey(result, key, value, schema);
        }

        ApplyElementOrders(result, original, patch, schema);
        RetainKeys(result, patch);
        return result;
    }

    private static void MergeKey(JsonObject result, string key, JsonNode? value, PatchSchema schema)
    {
        if (key is PatchDirective or RetainKeysDirective || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
        {
            return;
        }

        if (key.StartsWith(DeleteFromPrimitivePrefix, StringComparison.Ordinal))
        {
            DeleteFromPrimitiveList(result, key[DeleteFromPrimitivePrefix.Length..], value);
            return;
        }

        if (value is null)
        {
            result.Remove(key);
            return;
        }

        result.TryGetPropertyValue(key, out var current);
        var merged = MergeValue(current, value, schema.Field(key));
        if (merged is null)
        {
            result.Remove(key);
        }
        else
        {
            result[key] = merged;
        }
    }

    private static JsonNode? MergeValue(JsonNode? current, JsonNode patch, PatchSchema schema) => patch switch
    {
        JsonObject p => MergeMap(current as JsonObject, p, schema),
        JsonArray p => MergeList(current as JsonArray, p, schema),
        _ => patch.DeepClone(),
    };

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, PatchSchema schema)
    {
        if (patch.OfType<JsonObject>().Any(e => Json.AsString(e[PatchDirective]) == "replace"))
        {
            var kept = patch.Where(e => !(e is JsonObject o && Json.AsString(o[PatchDirective]) == "replace"));
            return MergeList(null, new JsonArray(kept.Select(Json.Clone).ToArray()), schema);
        }

        return schema.ListKind switch
        {
            ListKind.Map when schema.MergeKeys.Count > 0 => MergeMapList(original, patch, schema),
            ListKind.Set => MergePrimitiveList(original, patch),
            _ => new JsonArray(patch.Select(e => e is JsonObject o ? MergeMap(null, o, schema.Items) : Json.Clone(e)).ToArray()),
        };
    }

    private static JsonArray MergeMapList(JsonArray? original, JsonArray patch, PatchSchema schema)
    {
        var key = schema.MergeKeys[0];
        var result = original is null ? [] : (JsonArray)original.DeepClone();
        foreach (var element in patch)
        {
            if (element is not JsonObject item)
            {
                throw new PatchException($"strategic merge patch: list with merge key \"{key}\" has a non-object element: {Json.Text(element)}");
            }

            if (!item.TryGetPropertyValue(key, out var keyValue))
            {
                throw new PatchException($"map: {item.ToJsonString()} does not contain declared merge key: {key}");
            }

            var index = IndexOf(result, key, keyValue);
            if (Json.AsString(item[PatchDirective]) == "delete")
            {
                RemoveAll(result, key, keyValue);
                continue;
            }

            var merged = MergeMap(index >= 0 ? result[index] as JsonObject : null, item, schema.Items);
            if (index >= 0)
            {
                result[index] = merged;
            }
            else if (merged is not null)
            {
                result.Add(merged);
            }
        }

        return result;
    }

    private static JsonArray MergePrimitiveList(JsonArray? original, JsonArray patch)
    {
        var result = original is null ? [] : (JsonArray)original.DeepClone();
        foreach (var element in patch.Where(e => !result.Any(r => Json.DeepEquals(r, e))))
        {
            result.Add(Json.Clone(element));
        }

        return result;
    }

    private static void DeleteFromPrimitiveList(JsonObject result, string field, JsonNode? values)
    {
        if (result[field] is not JsonArray list || values is not JsonArray remove)
        {
            return;
        }

        foreach (var item in list.Where(i => remove.Any(r => Json.DeepEquals(r, i))).ToList())
        {
            list.Remove(item);
        }
    }

    // $setElementOrder/<f> (strategicpatch's normalizeElementOrder): listed items in the given order, server-only
    // items merged back in by their live positions (mergeSortedSlice, server-only items first on a tie).
    private static void ApplyElementOrders(JsonObject result, JsonObject? original, JsonObject patch, PatchSchema schema)
    {
        foreach (var (key, value) in patch.Where(kv => kv.Key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)))
        {
            var field = key[SetElementOrderPrefix.Length..];
            if (result[field] is not JsonArray list || value is not JsonArray order)
            {
                continue;
            }

            var fieldSchema = schema.Field(field);
            var mergeKey = fieldSchema.MergeKeys.Count > 0 ? fieldSchema.MergeKeys[0] : null;
            var live = original?[field] as JsonArray ?? [];
            var items = list.Select(Json.Clone).ToList();
            var listed = items.Where(i => RankIn(order, i, mergeKey) >= 0).OrderBy(i => RankIn(order, i, mergeKey)).ToList();
            var serverOnly = items.Where(i => RankIn(order, i, mergeKey) < 0).ToList();
            result[field] = new JsonArray(MergeSorted(serverOnly, listed, live, mergeKey).ToArray());
        }
    }

    private static List<JsonNode?> MergeSorted(List<JsonNode?> left, List<JsonNode?> right, JsonArray serverOrder, string? mergeKey)
    {
        var merged = new List<JsonNode?>();
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            if (i >= left.Count)
            {
                merged.Add(right[j++]);
                continue;
            }

            if (j >= right.Count)
            {
                merged.Add(left[i++]);
                continue;
            }

            var li = RankIn(serverOrder, left[i], mergeKey);
            var ri = RankIn(serverOrder, right[j], mergeKey);
            merged.Add(li >= 0 && ri >= 0 && ri < li ? right[j++] : left[i++]);
        }

        return merged;
    }

    private static int RankIn(JsonArray order, JsonNode? item, string? mergeKey)
    {
        for (var i = 0; i < order.Count; i++)
        {
            var matches = mergeKey is null
                ? Json.DeepEquals(order[i], item)
                : order[i] is JsonObject o && item is JsonObject it && Json.DeepEquals(o[mergeKey], it[mergeKey]);
            if (matches)
            {
                return i;
            }
        }

        return -1;
    }

    private static void RetainKeys(JsonObject result, JsonObject patch)
    {
        if (patch[RetainKeysDirective] is not JsonArray keys)
        {
            return;
        }

        var keep = keys.Select(Json.AsString).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var key in result.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
        {
            result.Remove(key);
        }
    }

    private static JsonObject WithoutDirective(JsonObject patch)
    {
        var copy = (JsonObject)patch.DeepClone();
        copy.Remove(PatchDirective);
        return copy;
    }

    private static int IndexOf(JsonArray list, string key, JsonNode? value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject o && o.TryGetPropertyValue(key, out var v) && Json.DeepEquals(v, value))
            {
                return i;
            }
        }

        return -1;
    }

    private static void RemoveAll(JsonArray list, string key, JsonNode? value)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i] is JsonObject o && o.TryGetPropertyValue(key, out var v) && Json.DeepEquals(v, value))
            {
                list.RemoveAt(i);
            }
        }
    }
}
