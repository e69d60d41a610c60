using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HipaaMongo.Entities;

/// <summary>The list kind (HipaaMongoList) returned by list calls on hipaamongos.</summary>
public sealed class HipaaMongoList : IKubernetesObject<V1ListMeta>, IItems<HipaaMongoResource>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiGroup.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ApiGroup.Kind + "List";

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<HipaaMongoResource> Items { get; set; } = [];
}
