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
}

/// <summary>Kind, namespace and name of an object in JSON form.</summary>
internal sealed record ObjectId(string Kind, string? Namespace, string Name)
{
    public static ObjectId Of(JsonObject obj) => new(
        obj["kind"]?.ToString() ?? throw new ArgumentException("the desired object has no kind", nameof(obj)),
        obj["metadata"]?["namespace"]?.ToString(),
        obj["metadata"]?["name"]?.ToString() ?? throw new ArgumentException("the desired object has no name", nameof(obj)));
}
