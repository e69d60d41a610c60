using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>One raw difference found by <see cref="ObjectComparer"/>, before it is classified.</summary>
internal sealed record Difference(IReadOnlyList<string> Segments, JsonNode? Expected, JsonNode? Found, DriftChange Change)
{
    public string Path => FieldPath.Format(Segments);
}

/// <summary>
/// Dotted field paths; list elements are segments like <c>[name=mongod]</c> or <c>[0]</c>, and map keys
/// that contain dots or slashes (labels, ConfigMap keys) are bracketed: <c>data[mongod.conf]</c>.
/// </summary>
internal static class FieldPath
{
    public static string Format(IEnumerable<string> segments) =>
        string.Concat(segments.Select((s, i) => s.StartsWith('[') ? s
            : s.Contains('.') || s.Contains('/') ? $"[{s}]"
            : i == 0 ? s : "." + s));

    public static string Element(string key, string value) => $"[{key}={value}]";

    public static bool StartsWith(IReadOnlyList<string> segments, params string[] prefix) =>
        segments.Count >= prefix.Length && prefix.Select((p, i) => segments[i] == p).All(b => b);
}
