using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// Path elements in their FieldsV1 spelling: <c>f:name</c> (field), <c>k:{"name":"x"}</c> (associative-list key),
/// <c>v:"x"</c> (set value), <c>i:0</c> (index). A path is a list of elements; a field set stores paths joined by
/// a newline (JSON never contains a raw newline).
/// </summary>
internal static class FieldPath
{
    internal const char Separator = '\n';

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static string Field(string name) => "f:" + name;

    internal static string Value(JsonNode? value) => "v:" + Encode(value);

    /// <summary>The key element of a map-list item: its merge-key fields in sorted order (missing protocol defaults to TCP, as the apiserver does).</summary>
    internal static string? Key(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (var name in keys.Order(StringComparer.Ordinal))
        {
            if (item.TryGetPropertyValue(name, out var v) && v is not null)
            {
                key[name] = v.DeepClone();
            }
            else if (name == "protocol")
            {
                key[name] = "TCP";
            }
        }

        return key.Count == 0 ? null : "k:" + Encode(key);
    }

    internal static string Join(string prefix, string element) => prefix.Length == 0 ? element : prefix + Separator + element;

    internal static string[] Split(string path) => path.Length == 0 ? [] : path.Split(Separator);

    internal static bool IsPrefixOf(string prefix, string path) =>
        path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.Ordinal) && path[prefix.Length] == Separator;

    internal static string Encode(JsonNode? value) => value?.ToJsonString(Compact) ?? "null";

    /// <summary>Prints a path the way structured-merge-diff does: <c>.spec.containers[name="a"].image</c>.</summary>
    internal static string Print(string path) => string.Concat(Split(path).Select(PrintElement));

    private static string PrintElement(string element)
    {
        var body = element[2..];
        return element[..2] switch
        {
            "f:" => "." + body,
            "v:" => "[=" + body + "]",
            "i:" => "[" + body + "]",
            _ => "[" + string.Join(",", (JsonNode.Parse(body) as JsonObject ?? []).Select(kv => kv.Key + "=" + Encode(kv.Value))) + "]",
        };
    }
}
