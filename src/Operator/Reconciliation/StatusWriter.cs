using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>The only writes to the HipaaMongo itself: status (observedGeneration, conditions) and our finalizer.</summary>
public sealed class StatusWriter(IKubernetes client)
{
    public async Task PatchAsync(HipaaMongoResource resource, IList<V1Condition> conditions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var status = new JsonObject
        {
            ["observedGeneration"] = resource.Metadata.Generation,
            ["conditions"] = JsonNode.Parse(KubernetesJson.Serialize(conditions)),
        };
        var body = new JsonObject { ["status"] = status };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version,
            resource.Metadata.NamespaceProperty, ApiGroup.Plural, resource.Metadata.Name, cancellationToken: ct);
    }

    /// <summary>Adds or removes our finalizer; the resourceVersion makes a concurrent edit fail with 409 (retried).</summary>
    public async Task SetFinalizersAsync(HipaaMongoResource resource, IList<string> finalizers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = resource.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version,
            resource.Metadata.NamespaceProperty, ApiGroup.Plural, resource.Metadata.Name, cancellationToken: ct);
    }
}
