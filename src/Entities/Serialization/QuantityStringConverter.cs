using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HipaaMongo.Entities.Serialization;

/// <summary>
/// Reads a Kubernetes quantity written as a number (<c>size: 10</c>) or a string (<c>size: 10Gi</c>) and
/// keeps it as the written string, so a round trip never rewrites what the user applied.
/// </summary>
public sealed class QuantityStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => ReadNumber(ref reader),
            JsonTokenType.Null => null,
            _ => throw new JsonException("a quantity must be a string such as 10Gi or a number"),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);

    private static string ReadNumber(ref Utf8JsonReader reader) =>
        reader.TryGetInt64(out var whole)
            ? whole.ToString(CultureInfo.InvariantCulture)
            : reader.GetDouble().ToString(CultureInfo.InvariantCulture);
}
