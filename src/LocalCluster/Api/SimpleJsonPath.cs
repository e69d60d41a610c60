using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>
/// The JSONPath subset printer columns use: `.a.b`, `[n]`, `[*]`, `['key']` and `[?(@.k=="v")]` filters.
/// Returns the matching values (the table shows the first; kube prints several joined by commas).
/// </summary>
public static partial class SimpleJsonPath
{
    [GeneratedRegex("""^\[\?\(@\.([A-Za-z0-9_.\-]+)\s*==\s*["']([^"']*)["']\)\]""")]
    private static partial Regex Filter();

    public static List<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        var current = new List<JsonNode?> { root };
        var p = path.Trim().TrimStart('{').TrimEnd('}').Trim();
        if (p.StartsWith('$'))
        {
            p = p[1..];
        }
        var i = 0;
        while (i < p.Length && current.Count > 0)
        {
            if (p[i] == '.')
            {
                var end = i + 1;
                while (end < p.Length && p[end] != '.' && p[end] != '[')
                {
                    end++;
                }
                var key = p[(i + 1)..end];
                current = [.. current.Select(n => key.Length == 0 ? n : (n as JsonObject)?[key]).Where(n => n is not null)];
                i = end;
            }
            else if (p[i] == '[')
            {
                var m = Filter().Match(p[i..]);
                if (m.Success)
                {
                    var field = m.Groups[1].Value;
                    var want = m.Groups[2].Value;
                    current = [.. current.OfType<JsonArray>().SelectMany(a => a)
                        .Where(e => Evaluate(e, "." + field).FirstOrDefault() is JsonValue v && v.ToString() == want)];
                    i += m.Length;
                    continue;
                }
                var close = p.IndexOf(']', i);
                if (close < 0)
                {
                    return [];
                }
                var inner = p[(i + 1)..close].Trim('\'', '"');
                current = inner == "*"
                    ? [.. current.SelectMany(n => n is JsonArray a ? a : n is JsonObject o ? o.Select(kv => kv.Value) : [])]
                    : int.TryParse(inner, out var idx)
                        ? [.. current.OfType<JsonArray>().Where(a => idx < a.Count && idx >= 0).Select(a => a[idx])]
                        : [.. current.OfType<JsonObject>().Select(o => o[inner]).Where(n => n is not null)];
                i = close + 1;
            }
            else
            {
                return [];
            }
        }
        return current;
    }
}
