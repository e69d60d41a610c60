using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>How kube-apiserver prints values and JSON types inside field errors.</summary>
internal static class FieldValue
{
    /// <summary>Go's <c>%#v</c>-like rendering used by field.Invalid: strings quoted, numbers and booleans bare.</summary>
    internal static string Show(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        _ => value.ToJsonString(),
    };

    internal static string Quote(string s) => JsonSerializer.Serialize(s, JsonOptions);

    /// <summary>The OpenAPI type name of a JSON value (<c>integer</c> for integral numbers).</summary>
    internal static string TypeName(JsonNode? value) => Json.Kind(value) switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => IsIntegral(value) ? "integer" : "number",
        _ => "null",
    };

    internal static bool IsIntegral(JsonNode? value) => Json.TryDecimal(value, out var d) && decimal.Truncate(d) == d;

    internal static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    internal static string Index(string path, int i) => path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";

    internal static string Key(string path, string key) => path + "[" + key + "]";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
