using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Drift;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Apply;

/// <summary>
/// Brings one desired object to its desired state: read live (cache, else GET), compare it whole with the render as
/// the API server stores it (<see cref="DefaultedRenders"/>), decide with <see cref="ApplyDecision"/>, then write
/// nothing, create, server-side apply (our stamps only) or replace. What is written carries its own render
/// (<see cref="LastApplied"/>), so the next pass learns what was applied from the cluster.
/// </summary>
public sealed class ChildApplier(OwnedCaches caches, ObjectWriter writer, DefaultedRenders renders)
{
    /// <param name="children">Every child of this render (<see cref="LastApplied.Key"/>), listed on the StatefulSet.</param>
    public async Task<AppliedObject> ApplyAsync(IKubernetesObject<V1ObjectMeta> desired, IReadOnlyList<string> children, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var path = ResourceKinds.Of(desired);
        var rendered = ObjectJson.From(desired);
        var stamped = LastApplied.Stamp(rendered, children);
        var live = caches.Find(desired)
            ?? await writer.GetAsync(path, desired.Metadata.NamespaceProperty, desired.Metadata.Name, ct);
        if (live is null)
        {
            renders.Learn(Model(desired), stamped, await writer.CreateAsync(path, stamped, ct));
            return new AppliedObject(desired, ApplyDecision.From(DriftDetector.Detect(rendered, null)), null);
        }

        // The stamps are bookkeeping, not compared: a child that only lacks its stamp (made by an older version) is
        // written, but with no finding (no revert Event, no failed control).
        var decision = ApplyDecision.From(DriftDetector.Detect(await renders.ForAsync(Model(desired), path, stamped, live, ct), live));
        if (decision.Action == ApplyAction.None && !LastApplied.Carries(live, stamped))
        {
            decision = decision with { Action = ApplyAction.Apply };
        }
        switch (decision.Action)
        {
            case ApplyAction.Apply:
                await writer.ApplyAsync(path, stamped, ct);
                break;
            case ApplyAction.Replace:
                var body = NotOurs.WithTheirMetadataKeys(stamped, live);
                renders.Learn(Model(desired), stamped, await writer.ReplaceAsync(path, body, ResourceVersion(live), ct));
                break;
            case ApplyAction.Create:
            case ApplyAction.None:
            default:
                break;
        }
        return new AppliedObject(desired, decision, live);
    }

    /// <summary>Forgets the cached defaulted renders of every child of the owner with this uid (it is being deleted).</summary>
    public void Forget(string? ownerUid) => renders.Forget(ownerUid);

    // The type the informer cache reads this kind into (cert-manager objects: one that keeps every field).
    private static Type Model(IKubernetesObject<V1ObjectMeta> desired) => desired switch
    {
        Baseline.CertManagerObject { Kind: "Certificate" } => typeof(LiveCertificate),
        Baseline.CertManagerObject => typeof(LiveIssuer),
        _ => desired.GetType(),
    };

    private static string? ResourceVersion(JsonObject? live) => live?["metadata"]?["resourceVersion"]?.GetValue<string>();
}
