using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// Structural defaulting (apiextensions-apiserver pkg/apiserver/schema/defaulting): nulls in non-nullable fields
/// are dropped, then missing properties get their <c>default</c>, then defaulting descends into the values.
/// </summary>
internal static class SchemaDefaulter
{
    internal static void Apply(JsonObject schema, JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj:
                DefaultObject(schema, obj);
                break;
            case JsonArray arr when schema["items"] is JsonObject items:
                foreach (var item in arr)
                {
                    Apply(items, item);
                }

                break;
        }
    }

    private static void DefaultObject(JsonObject schema, JsonObject obj)
    {
        if (schema["properties"] is JsonObject props)
        {
            foreach (var (name, propNode) in props)
            {
                if (propNode is not JsonObject prop)
                {
                    continue;
                }

                if (obj.TryGetPropertyValue(name, out var current) && current is null && !Json.IsTrue(prop["nullable"]))
                {
                    obj.Remove(name);
                }

                if (!obj.ContainsKey(name) && prop.TryGetPropertyValue("default", out var def))
                {
                    obj[name] = Json.Clone(def);
                }

                if (obj.TryGetPropertyValue(name, out var child))
                {
                    Apply(prop, child);
                }
            }
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            foreach (var (_, child) in obj.ToList())
            {
                Apply(additional, child);
            }
        }
    }
}
