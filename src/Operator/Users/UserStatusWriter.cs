using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Users;

/// <summary>The only writes to a HipaaMongoUser itself: its status (merge patch) and the reclaim finalizer.</summary>
public sealed class UserStatusWriter(IKubernetes client)
{
    public const string Finalizer = "hipaa.mongooperator.io/user-reclaim";

    public async Task PatchAsync(HipaaMongoUserResource user, HipaaMongoUserStatus status, CancellationToken ct)
    {
        var body = new JsonObject { ["status"] = JsonNode.Parse(KubernetesJson.Serialize(status)) };
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch), ApiGroup.Group, ApiGroup.Version,
            user.Metadata.NamespaceProperty, UserApiGroup.Plural, user.Metadata.Name, cancellationToken: ct);
    }

    /// <summary>Sets the finalizers; the resourceVersion makes a concurrent edit fail with 409 (retried).</summary>
    public async Task SetFinalizersAsync(HipaaMongoUserResource user, IList<string> finalizers, CancellationToken ct)
    {
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            FinalizerPatch.For(user.Metadata, finalizers), ApiGroup.Group, ApiGroup.Version,
            user.Metadata.NamespaceProperty, UserApiGroup.Plural, user.Metadata.Name, cancellationToken: ct);
    }
}
