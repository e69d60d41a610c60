namespace HipaaMongo.Entities.Schema;

// Attributes that carry the OpenAPI schema next to the C# types, so the CRD is generated
// from the same source the operator compiles against (no hand-written YAML to drift).

/// <summary>The field's description, published to OpenAPI so <c>kubectl explain</c> shows it.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Enum)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>The field is required in its parent object.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;

/// <summary>A schema default; the API server fills it in, so GitOps diffs stay stable.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute : Attribute
{
    public DefaultAttribute(int value) => Value = value;
    public DefaultAttribute(string value) => Value = value;
    public DefaultAttribute(bool value) => Value = value;
    public object Value { get; }
}

/// <summary>A default given as JSON, for objects (e.g. <c>{}</c> so nested defaults apply).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultJsonAttribute(string json) : Attribute
{
    public string Json { get; } = json;
}

/// <summary>
/// An enum member kept only to decode objects stored before it was withdrawn: the schema no longer offers it, so the
/// API server refuses it on write, and the validator explains why an old object holding it is refused.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class WithdrawnAttribute : Attribute;

/// <summary>The allowed integer values (enums over C# enum types are derived automatically).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumAttribute(params int[] values) : Attribute
{
    public IReadOnlyList<int> Values { get; } = values;
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class MaximumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class MinLengthAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>Bounds a string; also keeps CEL cost estimates under the API server's limit.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

[AttributeUsage(AttributeTargets.Property)]
public sealed class MinItemsAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>Bounds a list; also keeps CEL cost estimates under the API server's limit.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxItemsAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>An ECMA-262 regular expression the string must match (applied to list items for string lists).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex) : Attribute
{
    public string Regex { get; } = regex;
}

/// <summary>An OpenAPI string format such as <c>date-time</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}

/// <summary>A Kubernetes quantity: <c>x-kubernetes-int-or-string</c> with the quantity pattern.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class QuantityAttribute : Attribute;

/// <summary>
/// A CEL rule (<c>x-kubernetes-validations</c>) on the property's schema, or on the type's schema when
/// placed on a class. <paramref name="fieldPath"/> optionally points the error at a child field.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;
    public string Message { get; } = message;
    public string? FieldPath { get; init; }

    /// <summary>A CEL expression for the message (kube-apiserver falls back to <see cref="Message"/> when it fails).</summary>
    public string? MessageExpression { get; init; }
}

/// <summary><c>x-kubernetes-list-type</c> (<c>set</c>, <c>map</c> or <c>atomic</c>) with map keys.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListTypeAttribute(string type, params string[] mapKeys) : Attribute
{
    public string Type { get; } = type;
    public IReadOnlyList<string> MapKeys { get; } = mapKeys;
}

/// <summary>An additionalPrinterColumn for <c>kubectl get</c>; priority 1 shows only with <c>-o wide</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, string type, string jsonPath, string description) : Attribute
{
    public string Name { get; } = name;
    public string Type { get; } = type;
    public string JsonPath { get; } = jsonPath;
    public string Description { get; } = description;
    public int Priority { get; init; }
    public int Order { get; init; }
}

/// <summary>Keep everything under this node as written (free-form status details).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;
