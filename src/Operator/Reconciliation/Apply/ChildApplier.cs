using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Drift;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Apply;

/// <summary>
/// What happened to one desired object in a pass. Live is the object as found BEFORE this pass wrote
/// anything (null: it did not exist), so compliance sees what was there, not what we just put back.
/// </summary>
public sealed record AppliedObject(IKubernetesObject<V1ObjectMeta> Desired, ApplyDecision Decision, JsonObject? Live);

/// <summary>
/// Brings one desired object to its desired state: read live (cache, else GET), decide with
/// <see cref="ApplyDecision"/>, then write nothing, create, server-side apply or replace. What is written carries
/// its own render (<see cref="LastApplied"/>), so the next pass learns what was applied from the cluster.
/// </summary>
public sealed class ChildApplier(OwnedCaches caches, ObjectWriter writer)
{
    /// <param name="children">Every child of this render (<see cref="LastApplied.Key"/>), listed on the StatefulSet.</param>
    public async Task<AppliedObject> ApplyAsync(IKubernetesObject<V1ObjectMeta> desired, IReadOnlyList<string> children, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var path = ResourceKinds.Of(desired);
        var rendered = ObjectJson.From(desired);
        var desiredJson = LastApplied.Stamp(rendered, children);
        var live = caches.Find(desired)
            ?? await writer.GetAsync(path, desired.Metadata.NamespaceProperty, desired.Metadata.Name, ct);
        // Drift is judged on the render alone: a child that only lacks its stamp (made by an older version) is
        // written, but that is bookkeeping, not a finding (no revert Event, no failed control).
        var decision = ApplyDecision.From(DriftDetector.Detect(rendered, live));
        if (decision.Action == ApplyAction.None && live is not null && !LastApplied.Carries(live, desiredJson))
        {
            decision = decision with { Action = ApplyAction.Apply };
        }
        switch (decision.Action)
        {
            case ApplyAction.Create:
                await writer.CreateAsync(path, desiredJson, ct);
                break;
            case ApplyAction.Apply:
                await writer.ApplyAsync(path, desiredJson, ct);
                break;
            case ApplyAction.Replace:
                await writer.ReplaceAsync(path, desiredJson, ResourceVersion(live), ct);
                break;
            case ApplyAction.None:
            default:
                break;
        }
        return new AppliedObject(desired, decision, live);
    }

    private static string? ResourceVersion(JsonObject? live) => live?["metadata"]?["resourceVersion"]?.GetValue<string>();
}
