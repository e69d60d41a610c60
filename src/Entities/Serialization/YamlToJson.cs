using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HipaaMongo.Entities.Serialization;

/// <summary>
/// Converts one YAML document to JSON with YAML 1.2 core-schema scalars (plain 3 is a number, "3" a string),
/// the way the API server reads manifests. Bounded, so an alias bomb cannot exhaust memory.
/// </summary>
internal static partial class YamlToJson
{
    private const int MaxNodes = 100_000;

    public static JsonNode? Convert(YamlNode node)
    {
        var budget = MaxNodes;
        return Convert(node, ref budget);
    }

    private static JsonNode? Convert(YamlNode node, ref int budget)
    {
        if (--budget < 0) throw new YamlLimitException("the document is too large (more than 100000 nodes)");
        return node switch
        {
            YamlMappingNode map => ConvertMap(map, ref budget),
            YamlSequenceNode list => ConvertList(list, ref budget),
            YamlScalarNode scalar => ConvertScalar(scalar),
            _ => throw new YamlLimitException("unsupported YAML node"),
        };
    }

    private static JsonObject ConvertMap(YamlMappingNode map, ref int budget)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = key is YamlScalarNode { Value: { } text }
                ? text
                : throw new YamlLimitException($"line {key.Start.Line}: mapping keys must be strings");
            if (result.ContainsKey(name)) throw new YamlLimitException($"line {key.Start.Line}: duplicate key \"{name}\"");
            result[name] = Convert(value, ref budget);
        }

        return result;
    }

    private static JsonArray ConvertList(YamlSequenceNode list, ref int budget)
    {
        var result = new JsonArray();
        foreach (var item in list.Children) result.Add(Convert(item, ref budget));
        return result;
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty) return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (IntRegex().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            return JsonValue.Create(whole);
        if (FloatRegex().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
            return JsonValue.Create(real);
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntRegex();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatRegex();
}

/// <summary>A YAML document the parser refuses (too large, duplicate keys, non-string keys).</summary>
public sealed class YamlLimitException(string message) : Exception(message);
