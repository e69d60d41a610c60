using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>Small JSON helpers shared by the patch, apply and schema code.</summary>
public static class Json
{
    /// <summary>Semantic equality: object key order is ignored, numbers compare by value (1 == 1.0).</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return (a, b) switch
        {
            (JsonObject x, JsonObject y) => ObjectsEqual(x, y),
            (JsonArray x, JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => DeepEquals(p.First, p.Second)),
            (JsonValue x, JsonValue y) => ValuesEqual(x, y),
            _ => false,
        };
    }

    /// <summary>Deep copy that tolerates null.</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>The JSON kind of a node, with null for JSON null.</summary>
    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>Compact JSON text of a node (null → "null").</summary>
    public static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <summary>Reads a number as decimal when it fits, for exact comparisons.</summary>
    public static bool TryDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Reads a number as double.</summary>
    public static bool TryDouble(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>True only for a JSON <c>true</c>.</summary>
    public static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    /// <summary>A string value, or null when the node is not a JSON string.</summary>
    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool ObjectsEqual(JsonObject x, JsonObject y)
    {
        if (x.Count != y.Count)
        {
            return false;
        }

        foreach (var (key, value) in x)
        {
            if (!y.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ValuesEqual(JsonValue x, JsonValue y)
    {
        var kx = x.GetValueKind();
        if (kx != y.GetValueKind())
        {
            return false;
        }

        return kx switch
        {
            JsonValueKind.Number => NumbersEqual(x, y),
            JsonValueKind.String => x.GetValue<string>() == y.GetValue<string>(),
            _ => true, // true/false/null: the kind is the value
        };
    }

    private static bool NumbersEqual(JsonValue x, JsonValue y)
    {
        if (TryDecimal(x, out var dx) && TryDecimal(y, out var dy))
        {
            return dx == dy;
        }

        return TryDouble(x, out var fx) && TryDouble(y, out var fy) && fx.Equals(fy);
    }
}
