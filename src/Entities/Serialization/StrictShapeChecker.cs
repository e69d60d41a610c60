using System.Text.Json;
using System.Text.Json.Nodes;
using HipaaMongo.Entities.Crds;
using HipaaMongo.Entities.Schema;
using HipaaMongo.Entities.Validation;

namespace HipaaMongo.Entities.Serialization;

/// <summary>
/// Walks raw JSON against the C# types before deserialising, so unknown fields (a typo such as
/// <c>tls: {mode: disabled}</c>), wrong types and unknown enum values are errors with their path instead of
/// being dropped silently.
/// </summary>
internal static class StrictShapeChecker
{
    public const string MissingFieldMessage = "required field is missing";

    public static void Check(JsonNode? node, Type type, string path, List<ValidationError> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is null) return;
        if (type == typeof(string)) CheckScalar(node, path, errors, JsonValueKind.String);
        else if (type == typeof(int) || type == typeof(long)) CheckInteger(node, path, errors);
        else if (type == typeof(bool)) CheckScalar(node, path, errors, JsonValueKind.True, JsonValueKind.False);
        else if (type.IsEnum) CheckEnum(node, type, path, errors);
        else if (SchemaBuilder.IsList(type)) CheckList(node, type.GetGenericArguments()[0], path, errors);
        else if (SchemaBuilder.IsStringMap(type)) CheckMap(node, path, errors);
        else if (type.Namespace?.StartsWith("HipaaMongo.", StringComparison.Ordinal) == true) CheckObject(node, type, path, errors);
        // Kubernetes types (metadata, conditions) are checked by their own deserialisers.
    }

    /// <summary>A quantity property accepts a number or a string.</summary>
    public static void CheckQuantity(JsonNode node, string path, List<ValidationError> errors) =>
        CheckScalar(node, path, errors, JsonValueKind.String, JsonValueKind.Number);

    private static void CheckObject(JsonNode node, Type type, string path, List<ValidationError> errors)
    {
        if (node is not JsonObject obj)
        {
            errors.Add(new ValidationError(path, "must be an object"));
            return;
        }

        var known = SchemaBuilder.JsonProperties(type).ToDictionary(p => p.Name, p => p.Property, StringComparer.Ordinal);
        foreach (var (name, property) in known)
            if (property.GetCustomAttributes(typeof(RequiredAttribute), false).Length > 0 && obj[name] is null)
                errors.Add(new ValidationError(path + "." + name, MissingFieldMessage));
        foreach (var (name, value) in obj)
        {
            var childPath = path + "." + name;
            if (!known.TryGetValue(name, out var property))
                errors.Add(new ValidationError(childPath, $"unknown field \"{name}\""));
            else if (value is not null && property.GetCustomAttributes(typeof(QuantityAttribute), false).Length > 0)
                CheckQuantity(value, childPath, errors);
            else
                Check(value, property.PropertyType, childPath, errors);
        }
    }

    private static void CheckList(JsonNode node, Type itemType, string path, List<ValidationError> errors)
    {
        if (node is not JsonArray array)
        {
            errors.Add(new ValidationError(path, "must be a list"));
            return;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is null) errors.Add(new ValidationError($"{path}[{i}]", "must not be null"));
            else Check(array[i], itemType, $"{path}[{i}]", errors);
        }
    }

    private static void CheckMap(JsonNode node, string path, List<ValidationError> errors)
    {
        if (node is not JsonObject obj)
        {
            errors.Add(new ValidationError(path, "must be an object of string values"));
            return;
        }

        foreach (var (name, value) in obj)
            if (value is null) errors.Add(new ValidationError(path + "." + name, "must be a string"));
            else CheckScalar(value, path + "." + name, errors, JsonValueKind.String);
    }

    private static void CheckEnum(JsonNode node, Type type, string path, List<ValidationError> errors)
    {
        if (!CheckScalar(node, path, errors, JsonValueKind.String)) return;
        var value = node.GetValue<string>();
        if (type == typeof(MongoEdition) && value == EditionPolicy.Community)
            errors.Add(new ValidationError(path, EditionPolicy.CommunityRefusedMessage));
        else if (!Enum.GetNames(type).Contains(value, StringComparer.Ordinal))
            errors.Add(new ValidationError(path, $"unsupported value \"{value}\": must be one of {string.Join(", ", Enum.GetNames(type))}"));
    }

    private static void CheckInteger(JsonNode node, string path, List<ValidationError> errors)
    {
        if (!CheckScalar(node, path, errors, JsonValueKind.Number)) return;
        if (!node.AsValue().TryGetValue<long>(out var value) || value is < int.MinValue or > int.MaxValue)
            errors.Add(new ValidationError(path, "must be a whole number"));
    }

    private static bool CheckScalar(JsonNode node, string path, List<ValidationError> errors, params JsonValueKind[] kinds)
    {
        var kind = node.GetValueKind();
        if (kinds.Contains(kind)) return true;
        errors.Add(new ValidationError(path, "must be " + Describe(kinds[0])));
        return false;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "true or false",
    };
}
