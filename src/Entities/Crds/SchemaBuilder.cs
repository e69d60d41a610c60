using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;
using k8s.Models;

namespace HipaaMongo.Entities.Crds;

/// <summary>Pure reflection from the attributed C# types to a structural OpenAPI v3 schema.</summary>
public static class SchemaBuilder
{
    /// <summary>The JSON name of a property, or null when it is not serialised.</summary>
    public static string? JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonIgnoreAttribute>() is not null
            ? null
            : property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;

    /// <summary>The serialised properties of a type, in declaration order.</summary>
    public static IEnumerable<(string Name, PropertyInfo Property)> JsonProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: JsonName(p), Property: p))
            .Where(x => x.Name is not null)
            .Select(x => (x.Name!, x.Property));

    public static V1JSONSchemaProps ForType(Type type)
    {
        var schema = ObjectSchema(type);
        schema.Description = type.GetCustomAttribute<DescriptionAttribute>()?.Text;
        return schema;
    }

    private static V1JSONSchemaProps ForProperty(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var schema = property.GetCustomAttribute<QuantityAttribute>() is not null ? QuantitySchema() : ForClrType(type);
        // The API server allows nothing but restrictions on name/generateName under the root metadata,
        // so it stays a bare `type: object`, as controller-gen emits it.
        if (type == typeof(V1ObjectMeta)) return schema;
        schema.Description = property.GetCustomAttribute<DescriptionAttribute>()?.Text ?? schema.Description;
        ApplyValueAttributes(property, ValueNode(type, schema));
        ApplyNodeAttributes(property, schema);
        return schema;
    }

    private static V1JSONSchemaProps ForClrType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return new V1JSONSchemaProps { Type = "string" };
        if (type == typeof(int)) return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        if (type == typeof(long)) return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        if (type == typeof(bool)) return new V1JSONSchemaProps { Type = "boolean" };
        if (type == typeof(DateTime)) return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        if (type.IsEnum)
        {
            return new V1JSONSchemaProps
            {
                Type = "string",
                EnumProperty = [.. Enum.GetNames(type).Where(n => type.GetField(n)?.GetCustomAttribute<WithdrawnAttribute>() is null)],
            };
        }
        if (type == typeof(V1ObjectMeta)) return new V1JSONSchemaProps { Type = "object" };
        if (type == typeof(V1Condition)) return ConditionSchema.Build();
        if (IsList(type)) return new V1JSONSchemaProps { Type = "array", Items = ForClrType(type.GetGenericArguments()[0]) };
        if (IsStringMap(type))
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = new V1JSONSchemaProps { Type = "string" } };
        return ForType(type);
    }

    private static V1JSONSchemaProps ObjectSchema(Type type)
    {
        var properties = new Dictionary<string, V1JSONSchemaProps>();
        var required = new List<string>();
        foreach (var (name, property) in JsonProperties(type))
        {
            properties[name] = ForProperty(property);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null) required.Add(name);
        }

        return new V1JSONSchemaProps
        {
            Type = "object",
            Properties = properties,
            Required = required.Count > 0 ? required : null,
            XKubernetesValidations = Rules(type.GetCustomAttributes<CelRuleAttribute>()),
        };
    }

    private static V1JSONSchemaProps QuantitySchema() => new()
    {
        AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }],
        Pattern = ValidationPatterns.Quantity,
        XKubernetesIntOrString = true,
    };

    // The node that scalar attributes describe: each item of a list, each value of a map.
    private static V1JSONSchemaProps ValueNode(Type type, V1JSONSchemaProps schema) =>
        IsList(type) ? (V1JSONSchemaProps)schema.Items
        : IsStringMap(type) ? (V1JSONSchemaProps)schema.AdditionalProperties
        : schema;

    // Attributes about a scalar value: on a list they describe each item.
    private static void ApplyValueAttributes(PropertyInfo p, V1JSONSchemaProps s)
    {
        if (p.GetCustomAttribute<PatternAttribute>() is { } pattern) s.Pattern = pattern.Regex;
        if (p.GetCustomAttribute<MinLengthAttribute>() is { } minLength) s.MinLength = minLength.Value;
        if (p.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength) s.MaxLength = maxLength.Value;
        if (p.GetCustomAttribute<MinimumAttribute>() is { } minimum) s.Minimum = minimum.Value;
        if (p.GetCustomAttribute<MaximumAttribute>() is { } maximum) s.Maximum = maximum.Value;
        if (p.GetCustomAttribute<FormatAttribute>() is { } format) s.Format = format.Format;
        if (p.GetCustomAttribute<EnumAttribute>() is { } values) s.EnumProperty = [.. values.Values.Cast<object>()];
    }

    // Attributes about the node itself (the list, when the property is a list).
    private static void ApplyNodeAttributes(PropertyInfo p, V1JSONSchemaProps s)
    {
        if (p.GetCustomAttribute<MinItemsAttribute>() is { } minItems) s.MinItems = minItems.Value;
        if (p.GetCustomAttribute<MaxItemsAttribute>() is { } maxItems)
        {
            // On a map the same bound limits the number of keys.
            if (s.Type == "object") s.MaxProperties = maxItems.Value;
            else s.MaxItems = maxItems.Value;
        }
        if (p.GetCustomAttribute<ListTypeAttribute>() is { } listType)
        {
            s.XKubernetesListType = listType.Type;
            s.XKubernetesListMapKeys = listType.MapKeys.Count > 0 ? [.. listType.MapKeys] : null;
        }

        if (p.GetCustomAttribute<DefaultAttribute>() is { } value) s.DefaultProperty = value.Value;
        if (p.GetCustomAttribute<DefaultJsonAttribute>() is { } json) s.DefaultProperty = JsonNode.Parse(json.Json);
        if (p.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null) s.XKubernetesPreserveUnknownFields = true;
        var rules = Rules(p.GetCustomAttributes<CelRuleAttribute>());
        if (rules is not null) s.XKubernetesValidations = [.. s.XKubernetesValidations ?? [], .. rules];
    }

    private static List<V1ValidationRule>? Rules(IEnumerable<CelRuleAttribute> attributes)
    {
        var rules = attributes
            .Select(a => new V1ValidationRule { Rule = a.Rule, Message = a.Message, MessageExpression = a.MessageExpression, FieldPath = a.FieldPath })
            .ToList();
        return rules.Count > 0 ? rules : null;
    }

    public static bool IsList(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>);

    public static bool IsStringMap(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)
        && type.GetGenericArguments().All(a => a == typeof(string));
}
