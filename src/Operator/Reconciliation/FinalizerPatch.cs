using System.Text.Json.Nodes;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>
/// The merge patch that sets an object's finalizers. It carries the resourceVersion the caller read, so a concurrent
/// edit fails with 409 (and the pass is retried) rather than dropping someone else's finalizer.
/// </summary>
public static class FinalizerPatch
{
    public static V1Patch For(V1ObjectMeta metadata, IEnumerable<string> finalizers)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(finalizers);
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = metadata.ResourceVersion,
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        };
        return new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch);
    }
}
