using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>Strategic merge patch (<c>application/strategic-merge-patch+json</c>) for built-in kinds.</summary>
public static class StrategicMergePatch
{
    /// <summary>
    /// Returns <paramref name="original"/> patched by <paramref name="patch"/>; neither input is modified.
    /// When <see cref="PatchSchema.SupportsStrategicMerge"/> is false (custom resources) the caller should answer
    /// 415 with <see cref="PatchSchema.StrategicMergeUnsupportedMessage"/>; if it calls anyway, this behaves as a
    /// JSON merge patch. Bad directives throw <see cref="PatchException"/>.
    /// </summary>
    public static JsonNode? Apply(JsonNode? original, JsonNode? patch, PatchSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!schema.SupportsStrategicMerge)
        {
            return JsonMergePatch.Apply(original, patch);
        }

        return StrategicMerger.Merge(original, patch, schema);
    }
}
