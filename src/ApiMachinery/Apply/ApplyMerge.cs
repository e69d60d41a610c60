using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>The SSA merge: maps by key, associative lists by merge keys, sets by value, atomic lists replaced.</summary>
internal static class ApplyMerge
{
    internal static JsonNode? Merge(JsonNode? live, JsonNode? config, PatchSchema schema) => config switch
    {
        JsonObject c when !schema.AtomicMap => MergeMap(live as JsonObject, c, schema),
        JsonArray c when schema.ListKind == ListKind.Map => MergeMapList(live as JsonArray, c, schema),
        JsonArray c when schema.ListKind == ListKind.Set => MergeSet(live as JsonArray, c),
        _ => Json.Clone(config),
    };

    private static JsonObject MergeMap(JsonObject? live, JsonObject config, PatchSchema schema)
    {
        var result = live is null ? [] : (JsonObject)live.DeepClone();
        foreach (var (key, value) in config)
        {
            result.TryGetPropertyValue(key, out var current);
            result[key] = Merge(current, value, schema.Field(key));
        }

        return result;
    }

    private static JsonArray MergeMapList(JsonArray? live, JsonArray config, PatchSchema schema)
    {
        var result = live is null ? [] : (JsonArray)live.DeepClone();
        for (var i = 0; i < config.Count; i++)
        {
            var element = FieldWalker.ElementOf(config[i], i, schema);
            var index = -1;
            for (var j = 0; j < result.Count && index < 0; j++)
            {
                index = FieldWalker.ElementOf(result[j], j, schema) == element ? j : -1;
            }

            if (index >= 0)
            {
                result[index] = Merge(result[index], config[i], schema.Items);
            }
            else
            {
                result.Add(Json.Clone(config[i]));
            }
        }

        return result;
    }

    private static JsonArray MergeSet(JsonArray? live, JsonArray config)
    {
        var result = live is null ? [] : (JsonArray)live.DeepClone();
        foreach (var item in config.Where(c => !result.Any(r => Json.DeepEquals(r, c))))
        {
            result.Add(Json.Clone(item));
        }

        return result;
    }
}
