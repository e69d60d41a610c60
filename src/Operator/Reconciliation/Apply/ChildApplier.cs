using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Drift;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Apply;

/// <summary>
/// The children's edge, in two halves around the pure <see cref="ChildPlanner"/>: <see cref="ReadAsync"/> reads one
/// child (cache, else GET) and the render as the API server stores it (<see cref="DefaultedRenders"/>: cached, else one
/// dry-run, which writes nothing); <see cref="WriteAsync"/> carries out what was decided: nothing, create, server-side
/// apply (our stamps only) or replace. What is written carries its own render (<see cref="LastApplied"/>), so the next
/// pass learns what was applied from the cluster.
/// </summary>
public sealed class ChildApplier(OwnedCaches caches, ObjectWriter writer, DefaultedRenders renders)
{
    /// <param name="children">Every child of this render (<see cref="LastApplied.Key"/>), listed on the StatefulSet.</param>
    public async Task<ChildReading> ReadAsync(IKubernetesObject<V1ObjectMeta> desired, IReadOnlyList<string> children, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var path = ResourceKinds.Of(desired);
        var stamped = LastApplied.Stamp(ObjectJson.From(desired), children);
        var live = caches.Find(desired)
            ?? await writer.GetAsync(path, desired.Metadata.NamespaceProperty, desired.Metadata.Name, ct);
        var defaulted = live is null ? null : await renders.ForAsync(Model(desired), path, stamped, live, ct);
        return new ChildReading(desired, stamped, live, defaulted);
    }

    /// <summary>Carries out <paramref name="plan"/>, decided from <paramref name="reading"/>.</summary>
    public async Task WriteAsync(ChildReading reading, AppliedObject plan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(plan);
        var path = ResourceKinds.Of(reading.Desired);
        if (reading.Live is null)
        {
            renders.Learn(Model(reading.Desired), reading.Stamped, await writer.CreateAsync(path, reading.Stamped, ct));
            return;
        }
        switch (plan.Decision.Action)
        {
            case ApplyAction.Apply:
                await writer.ApplyAsync(path, reading.Stamped, ct);
                break;
            case ApplyAction.Replace:
                var body = NotOurs.WithTheirMetadataKeys(reading.Stamped, reading.Live);
                renders.Learn(Model(reading.Desired), reading.Stamped, await writer.ReplaceAsync(path, body, ResourceVersion(reading.Live), ct));
                break;
            case ApplyAction.Create:
            case ApplyAction.None:
            default:
                break;
        }
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
