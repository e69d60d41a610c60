using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>One write the StatefulSet controller decides on.</summary>
public abstract record StatefulSetAction;

/// <summary>Create a PersistentVolumeClaim from a volumeClaimTemplate (never replaced once it exists).</summary>
public sealed record CreateClaim(V1PersistentVolumeClaim Claim) : StatefulSetAction;

/// <summary>Create the pod of one ordinal at the update revision.</summary>
public sealed record CreatePod(V1Pod Pod) : StatefulSetAction;

/// <summary>Delete a pod: scale-down, a failed pod, or a rolling update replacing it.</summary>
public sealed record DeletePod(string Name, string Reason) : StatefulSetAction;

/// <summary>Delete a claim (persistentVolumeClaimRetentionPolicy.whenScaled: Delete, after its pod is gone).</summary>
public sealed record DeleteClaim(string Name) : StatefulSetAction;

/// <summary>
/// Replace a claim's ownerReferences to follow the set's retention policy (<see cref="ClaimOwnership"/>): the
/// <paramref name="Owners"/> planned from the listed claim; the write recomputes them from the claim read fresh.
/// </summary>
public sealed record UpdateClaimOwners(string Name, bool PodInRange, IList<V1OwnerReference> Owners) : StatefulSetAction;

/// <summary>The decisions of one pass and the status to report.</summary>
public sealed record StatefulSetPlan(IReadOnlyList<StatefulSetAction> Actions, V1StatefulSetStatus Status);
