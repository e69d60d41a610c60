using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Baseline.Yaml;

/// <summary>
/// Writes a JSON tree as block YAML in kubectl's layout (sequences not indented under their key).
/// Kubernetes objects are first serialized by KubernetesJson, which knows every model converter
/// (quantities, int-or-string); this writer then only decides layout and quoting, deterministically.
/// Multi-line strings (mongod.conf in the ConfigMap) become literal blocks so they stay readable.
/// </summary>
public static class JsonYamlWriter
{
    public static string Write(JsonNode node)
    {
        var sb = new StringBuilder();
        WriteValue(node, 0, sb, inSequence: false);
        return sb.ToString();
    }

    private static void WriteValue(JsonNode? node, int indent, StringBuilder sb, bool inSequence)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                WriteObject(obj, indent, sb, inSequence);
                break;
            case JsonArray arr when arr.Count > 0:
                WriteArray(arr, indent, sb);
                break;
            default:
                sb.Append(Inline(node, indent)).Append('\n');
                break;
        }
    }

    private static void WriteObject(JsonObject obj, int indent, StringBuilder sb, bool firstOnDashLine)
    {
        var first = true;
        foreach (var (key, value) in obj)
        {
            if (!(first && firstOnDashLine))
            {
                sb.Append(' ', indent);
            }

            first = false;
            sb.Append(YamlScalar.FormatString(key)).Append(':');
            if (IsBlock(value))
            {
                sb.Append('\n');
                // kubectl style: a sequence under a key starts at the key's own indentation.
                WriteValue(value, value is JsonArray ? indent : indent + 2, sb, inSequence: false);
            }
            else
            {
                sb.Append(' ').Append(Inline(value, indent + 2)).Append('\n');
            }
        }
    }

    private static void WriteArray(JsonArray arr, int indent, StringBuilder sb)
    {
        foreach (var item in arr)
        {
            sb.Append(' ', indent).Append("- ");
            if (item is JsonObject { Count: > 0 } obj)
            {
                WriteObject(obj, indent + 2, sb, firstOnDashLine: true);
            }
            else if (item is JsonArray { Count: > 0 } inner)
            {
                sb.Append('\n');
                WriteArray(inner, indent + 2, sb);
            }
            else
            {
                sb.Append(Inline(item, indent + 2)).Append('\n');
            }
        }
    }

    private static bool IsBlock(JsonNode? node) => node is JsonObject { Count: > 0 } or JsonArray { Count: > 0 };

    private static string Inline(JsonNode? node, int indent) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => StringScalar(v.GetValue<string>(), indent),
        JsonValue v => v.ToJsonString(),
        _ => throw new InvalidOperationException("unexpected JSON node"),
    };

    private static string StringScalar(string s, int indent)
    {
        if (!s.Contains('\n', StringComparison.Ordinal) || !LiteralSafe(s))
        {
            return YamlScalar.FormatString(s);
        }

        var body = s.EndsWith('\n') ? s[..^1] : s;
        var header = s.EndsWith('\n') ? "|" : "|-";
        var pad = new string(' ', indent);
        var lines = body.Split('\n').Select(l => l.Length == 0 ? string.Empty : pad + l);
        return header + "\n" + string.Join('\n', lines);
    }

    // Literal blocks cannot carry a leading space on the first line (it would need an indentation
    // indicator), trailing blank lines, tabs or carriage returns; those strings stay double-quoted.
    private static bool LiteralSafe(string s) =>
        !s.StartsWith(' ') && !s.EndsWith("\n\n", StringComparison.Ordinal)
        && !s.Any(c => char.IsControl(c) && c != '\n')
        && !s.Split('\n').Any(l => l.EndsWith(' '));
}
