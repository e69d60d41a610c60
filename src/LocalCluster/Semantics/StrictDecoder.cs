using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>
/// Finds unknown fields in built-in objects (and normalises their times) by walking them alongside
/// KubernetesClient's generated models, whose [JsonPropertyName] members come from the real OpenAPI (doc §0). Paths are printed as kube-apiserver's strict
/// decoder does (`spec.template.spec.containers[0].bogus`). Unknown fields can be dropped, as the Go decoder does
/// when fieldValidation is Warn or Ignore.
/// </summary>
public static class StrictDecoder
{
    static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>?> Members = new();

    public static List<string> UnknownFields(JsonObject obj, Type model, bool drop)
    {
        var found = new List<string>();
        Walk(obj, model, "", found, drop);
        return found;
    }

    static void Walk(JsonNode? node, Type type, string path, List<string> found, bool drop)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        switch (node)
        {
            case JsonObject o when MapValueType(type) is { } valueType:
                foreach (var (k, v) in o.ToList())
                {
                    Walk(v, valueType, Join(path, k), found, drop);
                }
                break;
            case JsonObject o when MembersOf(type) is { } members:
                foreach (var (k, v) in o.ToList())
                {
                    if (members.TryGetValue(k, out var childType))
                    {
                        Walk(v, childType, Join(path, k), found, drop);
                    }
                    else
                    {
                        found.Add(Join(path, k));
                        if (drop)
                        {
                            o.Remove(k);
                        }
                    }
                }
                break;
            case JsonValue v when type == typeof(DateTime) && v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                NormalizeTime(v, path);
                break;
            case JsonArray a when ItemType(type) is { } itemType:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], itemType, $"{path}[{i}]", found, drop);
                }
                break;
            default:
                break;
        }
    }

    static readonly HashSet<string> MicroTimeFields = ["acquireTime", "renewTime", "eventTime", "lastObservedTime"];

    /// <summary>
    /// metav1.Time is stored with whole seconds, MicroTime with 6 fraction digits (doc §14); clients such as
    /// KubernetesClient send 6 digits everywhere.
    /// </summary>
    static void NormalizeTime(JsonValue value, string path)
    {
        var text = value.ToString();
        if (!DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            || value.Parent is not JsonObject parent)
        {
            return;
        }
        var key = path[(path.LastIndexOf('.') + 1)..];
        var normalized = MicroTimeFields.Contains(key)
            ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : Meta.Time(t);
        if (normalized != text)
        {
            parent[key] = normalized;
        }
    }

    static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>The members of a generated model type by JSON name; null for anything else (free-form, scalars).</summary>
    static IReadOnlyDictionary<string, Type>? MembersOf(Type type) => Members.GetOrAdd(type, t =>
    {
        if (t.Namespace != "k8s.Models" || !t.IsClass)
        {
            return null;
        }
        var props = t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.PropertyType);
        return props.Count == 0 ? null : props;
    });

    static Type? MapValueType(Type type)
    {
        var dict = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dict?.GetGenericArguments()[1];
    }

    static Type? ItemType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) || MapValueType(type) is not null)
        {
            return null;
        }
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return list?.GetGenericArguments()[0];
    }
}
