using System.Text.Json;
using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// Short display text for expected and found values. A Secret's data is never shown, and a
/// multi-line value (mongod.conf) is shown as its first differing line, so a note stays small.
/// </summary>
internal static class ValueText
{
    public const string Absent = "<absent>";
    public const string Redacted = "<redacted>";
    private const int MaxLength = 160;

    public static (string Expected, string Found) Describe(JsonNode? expected, JsonNode? found, bool secret)
    {
        if (secret)
        {
            return (expected is null ? Absent : Redacted, found is null ? Absent : Redacted);
        }

        if (AsText(expected) is { } e && AsText(found) is { } f && (e.Contains('\n') || f.Contains('\n')))
        {
            return FirstDifferingLine(e, f);
        }

        return (Text(expected), Text(found));
    }

    private static (string, string) FirstDifferingLine(string expected, string found)
    {
        var e = expected.Split('\n');
        var f = found.Split('\n');
        var line = 0;
        while (line < e.Length && line < f.Length && e[line] == f[line])
        {
            line++;
        }

        string At(string[] lines) => line < lines.Length ? Clip(JsonSerializer.Serialize(lines[line].TrimEnd('\r'))) : Absent;
        return ($"line {line + 1}: {At(e)}", $"line {line + 1}: {At(f)}");
    }

    private static string Text(JsonNode? node) => node is null ? Absent : Clip(node.ToJsonString());

    private static string? AsText(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Clip(string text) => text.Length <= MaxLength ? text : text[..MaxLength] + "...";
}
