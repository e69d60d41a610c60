using System.Text.Json.Serialization;
using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Informers;

/// <summary>ObjectList is the wire shape of any Kubernetes list ({"metadata":{"resourceVersion"},"items":[...]}).</summary>
public sealed class ObjectList<T>
{
    /// <summary>apiVersion of the list.</summary>
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    /// <summary>kind of the list (e.g. PodList).</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    /// <summary>List metadata: resourceVersion and continue token.</summary>
    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    /// <summary>The objects.</summary>
    [JsonPropertyName("items")]
    public List<T>? Items { get; set; }
}
