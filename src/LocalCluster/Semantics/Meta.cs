using System.Globalization;
using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>Small helpers over an object's metadata.</summary>
public static class Meta
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }
        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string? Name(JsonObject obj) => Str(obj["metadata"]?["name"]);

    public static string? Namespace(JsonObject obj) => Str(obj["metadata"]?["namespace"]);

    public static string? Uid(JsonObject obj) => Str(obj["metadata"]?["uid"]);

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static string? Str(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>An integer however the node holds it (parsed JSON, int or long); null otherwise.</summary>
    public static long? Long(JsonNode? node) =>
        node is JsonValue v && (v.TryGetValue<long>(out var l) || (v.TryGetValue<int>(out var i) && (l = i) == i)
            || (v.TryGetValue<System.Text.Json.JsonElement>(out var e) && e.ValueKind == System.Text.Json.JsonValueKind.Number && e.TryGetInt64(out l)))
            ? l : null;

    /// <summary>A boolean value, or null when the node is not one.</summary>
    public static bool? Bool(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
            ? v.GetValueKind() == System.Text.Json.JsonValueKind.True : null;

    public static List<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray a ? [.. a.Select(f => Str(f) ?? "")] : [];

    public static void SetFinalizers(JsonObject obj, IEnumerable<string> finalizers)
    {
        var list = finalizers.ToList();
        var meta = Of(obj);
        if (list.Count == 0)
        {
            meta.Remove("finalizers");
        }
        else
        {
            meta["finalizers"] = new JsonArray([.. list.Select(f => (JsonNode)JsonValue.Create(f))]);
        }
    }

    public static IEnumerable<string> OwnerUids(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray refs
            ? refs.Select(r => Str(r?["uid"])).OfType<string>()
            : [];

    public static Dictionary<string, string> Labels(JsonObject obj) =>
        obj["metadata"]?["labels"] is JsonObject l
            ? l.ToDictionary(p => p.Key, p => Str(p.Value) ?? "")
            : [];

    /// <summary>metav1.Time: RFC 3339 with whole seconds.</summary>
    public static string Time(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static long? ParseRv(string? rv) =>
        long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
