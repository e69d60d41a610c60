using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>
/// OpenAPI schemas for built-in kinds, reflected from KubernetesClient's model types (themselves generated from the
/// Kubernetes OpenAPI): JSON property names, types, nested definitions by reference, and descriptions from
/// <see cref="ModelDocs"/>. Definition names follow kube-apiserver's (`io.k8s.api.core.v1.Container`,
/// `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`); the Go package of a shared type is inferred from the first
/// kind that reaches it, core/v1 first, since the model types do not record it.
/// </summary>
public sealed class ModelSchemas
{
    static readonly HashSet<string> MetaTypes =
    [
        "ObjectMeta", "ListMeta", "LabelSelector", "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry",
        "Condition", "Status", "StatusDetails", "StatusCause", "Time", "MicroTime", "Duration",
    ];

    readonly Dictionary<Type, string> names = [];
    readonly string refPrefix;

    /// <summary>Every model's name as first reached from the built-in kinds in order (core/v1 first), so that a
    /// core type such as PodTemplateSpec keeps its core name in the apps/v1 document too.</summary>
    static readonly Lazy<Dictionary<Type, string>> Canonical = new(() =>
    {
        var all = new ModelSchemas("#/", canonical: false);
        foreach (var kind in BuiltinTypes.All.Where(k => OpenApi.ModelFor(k) is not null))
        {
            all.AddKind(kind, OpenApi.ModelFor(kind)!);
        }
        return all.names;
    });

    /// <summary>Schemas for every model reachable from the kinds (by definition name).</summary>
    public Dictionary<string, JsonObject> Definitions { get; } = new(StringComparer.Ordinal);

    /// <param name="refPrefix">`#/components/schemas/` (v3) or `#/definitions/` (v2).</param>
    public ModelSchemas(string refPrefix)
        : this(refPrefix, canonical: true)
    {
    }

    ModelSchemas(string refPrefix, bool canonical)
    {
        this.refPrefix = refPrefix;
        this.canonical = canonical;
    }

    readonly bool canonical;

    /// <summary>Adds a kind's model (and all it references); returns its definition name.</summary>
    public string AddKind(ResourceType kind, Type model)
    {
        var name = Name(model, kind.Group, kind.Version);
        var schema = Definitions[name];
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = kind.Group, ["kind"] = kind.Kind, ["version"] = kind.Version });
        return name;
    }

    static string ShortName(Type model)
    {
        var n = model.Name;
        // V1Container, V1beta1Foo, V2Bar → Container, Foo, Bar; Corev1Event → Event; IntstrIntOrString stays as is.
        var m = System.Text.RegularExpressions.Regex.Match(n, "^(?:Corev1|Eventsv1|V\\d+(?:alpha\\d+|beta\\d+)?)([A-Z].*)$");
        return m.Success ? m.Groups[1].Value : n;
    }

    string Name(Type model, string group, string version)
    {
        if (names.TryGetValue(model, out var known))
        {
            return known;
        }
        var name = canonical && Canonical.Value.TryGetValue(model, out var c) ? c : Invent(model, group, version);
        names[model] = name;
        var schema = new JsonObject();
        Definitions[name] = schema;
        Fill(schema, model, group, version);
        return name;
    }

    static string Invent(Type model, string group, string version)
    {
        var shortName = ShortName(model);
        var package = MetaTypes.Contains(shortName) ? "io.k8s.apimachinery.pkg.apis.meta"
            : group == "apiextensions.k8s.io" ? "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions"
            : $"io.k8s.api.{(group.Length == 0 ? "core" : group.Split('.')[0])}";
        return $"{package}.{version}.{shortName}";
    }

    void Fill(JsonObject schema, Type model, string group, string version)
    {
        if (ModelDocs.For($"T:{model.FullName}") is { } doc)
        {
            schema["description"] = doc;
        }
        schema["type"] = "object";
        var properties = new JsonObject();
        foreach (var p in model.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetCustomAttribute<JsonPropertyNameAttribute>() is not { } json)
            {
                continue;
            }
            var property = Schema(p.PropertyType, group, version);
            if (ModelDocs.For($"P:{model.FullName}.{p.Name}") is { } d)
            {
                property = property.ContainsKey("$ref")
                    ? new JsonObject { ["description"] = d, ["allOf"] = new JsonArray(property) }
                    : Describe(property, d);
            }
            properties[json.Name] = property;
        }
        schema["properties"] = properties;
    }

    static JsonObject Describe(JsonObject schema, string description)
    {
        var described = new JsonObject { ["description"] = description };
        foreach (var (k, v) in schema)
        {
            described[k] = v?.DeepClone();
        }
        return described;
    }

    JsonObject Schema(Type type, string group, string version)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }
        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }
        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
        }
        if (type == typeof(double) || type == typeof(float))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }
        if (type == typeof(byte[]))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "byte" };
        }
        if (type == typeof(IntOrString))
        {
            return Named("io.k8s.apimachinery.pkg.util.intstr.IntOrString", type,
                new JsonObject { ["type"] = "string", ["format"] = "int-or-string" });
        }
        if (type == typeof(ResourceQuantity))
        {
            // apimachinery's Quantity OpenAPI definition: a string or a number.
            return Named("io.k8s.apimachinery.pkg.api.resource.Quantity", type,
                new JsonObject { ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }) });
        }
        if (DictionaryValue(type) is { } value)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = Schema(value, group, version) };
        }
        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && ListItem(type) is { } item)
        {
            return new JsonObject { ["type"] = "array", ["items"] = Schema(item, group, version) };
        }
        if (type.Namespace == "k8s.Models" && type.IsClass)
        {
            return new JsonObject { ["$ref"] = refPrefix + Name(type, group, version) };
        }
        // object, JsonElement and the like: arbitrary JSON (e.g. CRD schema defaults and examples).
        return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
    }

    /// <summary>A definition with a fixed shape (Go types with custom JSON), referenced by name like kube-apiserver does.</summary>
    JsonObject Named(string name, Type model, JsonObject shape)
    {
        if (!Definitions.ContainsKey(name))
        {
            if (ModelDocs.For($"T:{model.FullName}") is { } doc)
            {
                shape = Describe(shape, doc);
            }
            Definitions[name] = shape;
        }
        return new JsonObject { ["$ref"] = refPrefix + name };
    }

    static Type? DictionaryValue(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            ?.GetGenericArguments()[1];

    static Type? ListItem(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
}
