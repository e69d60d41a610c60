using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HipaaMongo.Operator.Tests;

/// <summary>
/// Reads YAML back into JSON with YAML 1.2 core-schema typing (quoted scalars stay strings),
/// independent of the writer under test, so round trips prove both content and quoting.
/// </summary>
internal static class YamlJson
{
    public static IReadOnlyList<JsonNode?> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => ToJson(d.RootNode)).ToList();
    }

    public static JsonNode Single(string text) => Documents(text).Single()!;

    public static JsonNode? At(JsonNode? root, string dottedPath) =>
        dottedPath.Split('.').Aggregate(root, (node, key) => (node as JsonObject)?[key]);

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            new KeyValuePair<string, JsonNode?>(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode s => Scalar(s),
        _ => throw new InvalidOperationException("unexpected YAML node"),
    };

    private static JsonValue? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(v);
        }

        return v switch
        {
            "" or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ => JsonValue.Create(v),
        };
    }
}
