using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Status;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>
/// The only writes to the HipaaMongo itself: status (observedGeneration, conditions, and with a body readyMembers,
/// members, tlsExpiresAt, compliance, phiAccess, featureCompatibilityVersion) and our finalizer.
/// </summary>
public sealed class StatusWriter(IKubernetes client)
{
    public async Task PatchAsync(HipaaMongoResource resource, IList<V1Condition> conditions, CancellationToken ct, StatusBody? body = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var status = new JsonObject
        {
            ["observedGeneration"] = resource.Metadata.Generation,
            ["conditions"] = JsonNode.Parse(KubernetesJson.Serialize(conditions)),
        };
        if (body is not null)
        {
            // Merge patch: a list is replaced whole, a field left out is kept.
            status["readyMembers"] = body.ReadyMembers;
            Put(status, "members", body.Members);
            Put(status, "tlsExpiresAt", body.TlsExpiresAt);
            Put(status, "compliance", body.Compliance);
            Put(status, "featureCompatibilityVersion", body.FeatureCompatibilityVersion);
            // Unlike the others, an empty roster is news: null removes the field (merge patch).
            status["phiAccess"] = body.PhiAccess is { Count: > 0 } roster ? JsonNode.Parse(KubernetesJson.Serialize(roster)) : null;
        }
        await PatchStatusAsync(resource, status, ct);
    }

    private static void Put(JsonObject status, string field, object? value)
    {
        if (value is not null)
        {
            status[field] = JsonNode.Parse(KubernetesJson.Serialize(value));
        }
    }

    private async Task PatchStatusAsync(HipaaMongoResource resource, JsonObject status, CancellationToken ct)
    {
        var body = new JsonObject { ["status"] = status };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version,
            resource.Metadata.NamespaceProperty, ApiGroup.Plural, resource.Metadata.Name, cancellationToken: ct);
    }

    /// <summary>Adds or removes our finalizer; the resourceVersion makes a concurrent edit fail with 409 (retried).</summary>
    public async Task SetFinalizersAsync(HipaaMongoResource resource, IList<string> finalizers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            FinalizerPatch.For(resource.Metadata, finalizers), ApiGroup.Group, ApiGroup.Version,
            resource.Metadata.NamespaceProperty, ApiGroup.Plural, resource.Metadata.Name, cancellationToken: ct);
    }
}
