using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>One write the StatefulSet controller decides on.</summary>
public abstract record StatefulSetAction;

/// <summary>Create a PersistentVolumeClaim from a volumeClaimTemplate (never replaced once it exists).</summary>
public sealed record CreateClaim(V1PersistentVolumeClaim Claim) : StatefulSetAction;

/// <summary>Create the pod of one ordinal at the current or update revision (newVersionedStatefulSetPod).</summary>
public sealed record CreatePod(V1Pod Pod) : StatefulSetAction;

/// <summary>Delete a pod: a failed one, scale-down, or a rolling update replacing it.</summary>
public sealed record DeletePod(string Name, string Reason) : StatefulSetAction;

/// <summary>
/// Replace a claim's ownerReferences to follow the set's retention policy for <paramref name="Pod"/>
/// (<see cref="ClaimOwnership"/>): the <paramref name="Owners"/> planned from the listed claim; the write
/// recomputes them from the claim read fresh (UpdatePodClaimForRetentionPolicy).
/// </summary>
public sealed record UpdateClaimOwners(string Name, V1Pod Pod, IList<V1OwnerReference> Owners) : StatefulSetAction;

/// <summary>
/// The decisions of one pass, the status to report (<paramref name="StatusChanged"/>: inconsistentStatus, so it
/// is written), and when to look again without an event (minReadySeconds: a Ready pod becomes available).
/// </summary>
public sealed record StatefulSetPlan(IReadOnlyList<StatefulSetAction> Actions, V1StatefulSetStatus Status, bool StatusChanged,
    TimeSpan? RecheckAfter);
