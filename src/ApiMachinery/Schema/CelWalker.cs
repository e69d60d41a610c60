using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>Visits every schema node that has a value, pairing it with the correlated old value (ratcheting-style correlation).</summary>
internal static class CelWalker
{
    internal static void Walk(CelRules rules, JsonObject schema, JsonNode? value, JsonNode? old, bool hasOld, string path, List<FieldError> errors, List<RuleNotEvaluated> skipped)
    {
        rules.Evaluate(schema, value, old, hasOld, path, errors, skipped);
        switch (value)
        {
            case JsonObject obj:
                WalkObject(rules, schema, obj, hasOld ? old as JsonObject : null, path, errors, skipped);
                break;
            case JsonArray arr when schema["items"] is JsonObject items:
                WalkArray(rules, schema, items, arr, hasOld ? old as JsonArray : null, path, errors, skipped);
                break;
        }
    }

    private static void WalkObject(CelRules rules, JsonObject schema, JsonObject obj, JsonObject? old, string path, List<FieldError> errors, List<RuleNotEvaluated> skipped)
    {
        var props = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (key, child) in obj)
        {
            var childSchema = props?[key] as JsonObject;
            var childPath = childSchema is null ? FieldValue.Key(path, key) : FieldValue.Child(path, key);
            childSchema ??= additional;
            if (childSchema is null || (path.Length == 0 && key == "metadata"))
            {
                continue;
            }

            JsonNode? oldChild = null;
            var hasOldChild = old is not null && old.TryGetPropertyValue(key, out oldChild);
            Walk(rules, childSchema, child, oldChild, hasOldChild, childPath, errors, skipped);
        }
    }

    // Only map and set lists correlate items with the old list, as in kube-apiserver.
    private static void WalkArray(CelRules rules, JsonObject schema, JsonObject items, JsonArray arr, JsonArray? old, string path, List<FieldError> errors, List<RuleNotEvaluated> skipped)
    {
        var listType = Json.AsString(schema["x-kubernetes-list-type"]);
        var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(Json.AsString).OfType<string>().ToArray();
        for (var i = 0; i < arr.Count; i++)
        {
            var oldItem = listType switch
            {
                "map" when arr[i] is JsonObject o => old?.OfType<JsonObject>().FirstOrDefault(x => keys.All(k => Json.DeepEquals(x[k], o[k]))),
                "set" => old?.FirstOrDefault(x => Json.DeepEquals(x, arr[i])),
                _ => null,
            };
            Walk(rules, items, arr[i], oldItem, oldItem is not null, FieldValue.Index(path, i), errors, skipped);
        }
    }
}
