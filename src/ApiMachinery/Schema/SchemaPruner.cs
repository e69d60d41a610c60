using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// Structural pruning (apiextensions-apiserver pkg/apiserver/schema/pruning): drops fields the schema does not
/// specify, except under <c>x-kubernetes-preserve-unknown-fields</c>; apiVersion/kind/metadata survive at the root
/// and in <c>x-kubernetes-embedded-resource</c> objects, with metadata cut to ObjectMeta.
/// </summary>
internal static class SchemaPruner
{
    private static readonly HashSet<string> ObjectMetaFields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    };

    internal static void PruneRoot(JsonObject schema, JsonObject obj, List<string> pruned) =>
        PruneObject(schema, obj, "", pruned, isResource: true);

    private static void Prune(JsonObject schema, JsonNode? value, string path, List<string> pruned)
    {
        switch (value)
        {
            case JsonObject obj:
                PruneObject(schema, obj, path, pruned, Json.IsTrue(schema["x-kubernetes-embedded-resource"]));
                break;
            case JsonArray arr when schema["items"] is JsonObject items:
                for (var i = 0; i < arr.Count; i++)
                {
                    Prune(items, arr[i], FieldValue.Index(path, i), pruned);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject schema, JsonObject obj, string path, List<string> pruned, bool isResource)
    {
        var props = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        var preserve = Json.IsTrue(schema["x-kubernetes-preserve-unknown-fields"]) || Json.IsTrue(additional);
        foreach (var (key, child) in obj.ToList())
        {
            var childPath = FieldValue.Child(path, key);
            if (isResource && key is "apiVersion" or "kind")
            {
                continue;
            }

            if (isResource && key == "metadata" && child is JsonObject meta)
            {
                PruneMetadata(meta, childPath, pruned);
                continue;
            }

            if (props?[key] is JsonObject childSchema)
            {
                Prune(childSchema, child, childPath, pruned);
            }
            else if (additional is JsonObject additionalSchema)
            {
                Prune(additionalSchema, child, FieldValue.Key(path, key), pruned);
            }
            else if (!preserve)
            {
                obj.Remove(key);
                pruned.Add(childPath);
            }
        }
    }

    private static void PruneMetadata(JsonObject meta, string path, List<string> pruned)
    {
        foreach (var key in meta.Select(kv => kv.Key).Where(k => !ObjectMetaFields.Contains(k)).ToList())
        {
            meta.Remove(key);
            pruned.Add(FieldValue.Child(path, key));
        }
    }
}
