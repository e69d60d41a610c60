using HipaaMongo.Operator.Baseline;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>One desired object and what must be written for it.</summary>
public sealed record PlannedObject(IKubernetesObject<V1ObjectMeta> Desired, ApplyDecision Decision);

/// <summary>
/// The write decisions for a whole render, in apply order, given a lookup into the informer cache
/// (null when the object does not exist). A steady state plans zero writes.
/// </summary>
public static class ApplyPlan
{
    public static IReadOnlyList<PlannedObject> For(
        DesiredState desired,
        Func<IKubernetesObject<V1ObjectMeta>, IKubernetesObject<V1ObjectMeta>?> liveOf)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(liveOf);
        return [.. desired.Objects.Select(d => new PlannedObject(d, ApplyDecision.For(d, liveOf(d))))];
    }

    /// <summary>Only the objects that need a write.</summary>
    public static IEnumerable<PlannedObject> Writes(this IReadOnlyList<PlannedObject> plan) =>
        plan.Where(p => p.Decision.WriteNeeded);
}
