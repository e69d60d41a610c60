using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>Typed objects to JSON with the Kubernetes wire names, so typed and unstructured compare alike.</summary>
public static class ObjectJson
{
    public static JsonObject From(IKubernetesObject<V1ObjectMeta> obj) =>
        JsonNode.Parse(KubernetesJson.Serialize(obj)) as JsonObject
        ?? throw new ArgumentException($"{obj?.Kind} did not serialise to a JSON object", nameof(obj));

    /// <summary>
    /// <paramref name="json"/> read into <paramref name="type"/> and written back, as the informer cache holds a live
    /// object: a field the client's model does not know is dropped on both sides of a comparison alike.
    /// </summary>
    public static JsonObject Through(JsonObject json, Type type)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(type);
        var typed = DeserializeMethod.MakeGenericMethod(type).Invoke(null, [json.ToJsonString(), null]);
        return typed is IKubernetesObject<V1ObjectMeta> obj ? From(obj) : json;
    }

    private static readonly System.Reflection.MethodInfo DeserializeMethod = typeof(KubernetesJson).GetMethods()
        .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.IsGenericMethodDefinition
            && m.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(string));
}

/// <summary>Kind, namespace and name of an object in JSON form.</summary>
internal sealed record ObjectId(string Kind, string? Namespace, string Name)
{
    public static ObjectId Of(JsonObject obj) => new(
        obj["kind"]?.ToString() ?? throw new ArgumentException("the desired object has no kind", nameof(obj)),
        obj["metadata"]?["namespace"]?.ToString(),
        obj["metadata"]?["name"]?.ToString() ?? throw new ArgumentException("the desired object has no name", nameof(obj)));
}
