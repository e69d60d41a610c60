using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>RFC 7386 JSON Merge Patch (<c>application/merge-patch+json</c>).</summary>
public static class JsonMergePatch
{
    /// <summary>Returns target merged with patch; neither input is modified.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObj)
        {
            return Json.Clone(patch);
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        foreach (var (key, value) in patchObj)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result.TryGetPropertyValue(key, out var current);
                result[key] = Apply(current, value);
            }
        }

        return result;
    }

    /// <summary>Builds the merge patch that turns <paramref name="from"/> into <paramref name="to"/> (used for tests and diffs).</summary>
    public static JsonNode? Diff(JsonNode? from, JsonNode? to)
    {
        if (from is not JsonObject f || to is not JsonObject t)
        {
            return Json.Clone(to);
        }

        var patch = new JsonObject();
        foreach (var (key, value) in f)
        {
            if (!t.ContainsKey(key))
            {
                patch[key] = null;
            }
            else if (!Json.DeepEquals(value, t[key]))
            {
                patch[key] = Diff(value, t[key]);
            }
        }

        foreach (var (key, value) in t)
        {
            if (!f.ContainsKey(key))
            {
                patch[key] = Json.Clone(value);
            }
        }

        return patch;
    }
}
