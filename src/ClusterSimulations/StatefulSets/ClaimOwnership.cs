using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// The ownerReferences the StatefulSet controller keeps on a pod's claims for the set's
/// persistentVolumeClaimRetentionPolicy (kubernetes stateful_set_utils.go isClaimOwnerUpToDate,
/// updateClaimOwnerRefForSetAndPod, hasUnexpectedController, hasNonControllerOwner, hasStaleOwnerRef; GA in 1.32):
/// Retain/Retain no reference; whenDeleted Delete the set as controller; whenScaled Delete the pod as controller
/// once its ordinal is scaled away (the garbage collector then deletes the claim with the pod); both Delete the set
/// while in range and the pod once scaled away.
/// </summary>
public static class ClaimOwnership
{
    private const string Delete = "Delete";

    /// <summary>
    /// The claim's new ownerReferences for <paramref name="pod"/> (its uid may be unknown for a pod just
    /// created), or null when they are up to date.
    /// </summary>
    public static IList<V1OwnerReference>? Updated(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(pod);
        if (IsUpToDate(claim, set, pod))
        {
            return null;
        }
        var refs = Refs(claim).Where(r => !MatchesSet(r, set) && !MatchesPod(r, pod)).ToList(); // scrub ours
        if (HasUnexpectedController(claim, set, pod))
        {
            return refs;
        }
        var (wantSet, wantPod) = Wanted(set, pod);
        if (wantSet)
        {
            refs.Add(StatefulSetObjects.Owner(set));
        }
        if (wantPod && pod.Metadata.Uid is not null)
        {
            refs.Add(PodOwner(pod));
        }
        return refs;
    }

    /// <summary>isClaimOwnerUpToDate.</summary>
    public static bool IsUpToDate(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(pod);
        if (IsStale(claim, set, pod))
        {
            return true; // managed by an earlier set or pod of the same name: not touched
        }
        if (HasUnexpectedController(claim, set, pod))
        {
            return !HasRef(claim, set.Metadata.Uid) && !HasRef(claim, pod.Metadata.Uid);
        }
        if (Refs(claim).Any(r => (r.Uid == set.Metadata.Uid || (pod.Metadata.Uid is not null && r.Uid == pod.Metadata.Uid)) && r.Controller != true))
        {
            return false; // hasNonControllerOwner
        }
        var (wantSet, wantPod) = Wanted(set, pod);
        return HasRef(claim, set.Metadata.Uid) == wantSet && HasRef(claim, pod.Metadata.Uid) == wantPod;
    }

    /// <summary>
    /// PodClaimIsStale: under whenScaled Delete, a claim of a pod about to be created that still has a reference
    /// to a pod of that name (an earlier one, the garbage collector not done with it) blocks the creation.
    /// </summary>
    public static bool BlocksCreation(IEnumerable<V1PersistentVolumeClaim> claims, V1StatefulSet set, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(set);
        return set.Spec.PersistentVolumeClaimRetentionPolicy?.WhenScaled == Delete
            && claims.Any(c => Refs(c).FirstOrDefault(r => MatchesPod(r, pod)) is { } r && r.Uid != pod.Metadata.Uid);
    }

    // The set's reference while the policy deletes with the set (and whenScaled does not hand the claim to a
    // scaled-away pod); the pod's once its ordinal is scaled away under whenScaled Delete.
    private static (bool Set, bool Pod) Wanted(V1StatefulSet set, V1Pod pod)
    {
        var policy = set.Spec.PersistentVolumeClaimRetentionPolicy;
        var scaledDown = !InRange(set, pod);
        var whenScaled = policy?.WhenScaled == Delete;
        var whenDeleted = policy?.WhenDeleted == Delete;
        return (whenDeleted && !(whenScaled && scaledDown), whenScaled && scaledDown);
    }

    // hasUnexpectedController: only under a non-Retain policy; a stale reference of ours counts as one.
    private static bool HasUnexpectedController(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod)
    {
        var policy = set.Spec.PersistentVolumeClaimRetentionPolicy;
        if (policy?.WhenDeleted != Delete && policy?.WhenScaled != Delete)
        {
            return false;
        }
        foreach (var r in Refs(claim))
        {
            if (MatchesSet(r, set) || MatchesPod(r, pod))
            {
                if (r.Uid != (MatchesSet(r, set) ? set.Metadata.Uid : pod.Metadata.Uid))
                {
                    return true;
                }
                continue;
            }
            if (r.Controller == true)
            {
                return true;
            }
        }
        return false;
    }

    // hasStaleOwnerRef for the set and for the pod: the first reference matching by name has another uid.
    private static bool IsStale(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod) =>
        Refs(claim).FirstOrDefault(r => MatchesSet(r, set)) is { } s && s.Uid != set.Metadata.Uid
        || Refs(claim).FirstOrDefault(r => MatchesPod(r, pod)) is { } p && p.Uid != pod.Metadata.Uid;

    /// <summary>podInOrdinalRange.</summary>
    public static bool InRange(V1StatefulSet set, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(set);
        var start = set.Spec.Ordinals?.Start ?? 0;
        return StatefulSetNames.Ordinal(set.Metadata.Name, pod?.Metadata?.Name) is { } o && o >= start && o < start + (set.Spec.Replicas ?? 1);
    }

    private static IList<V1OwnerReference> Refs(V1PersistentVolumeClaim claim) => claim.Metadata?.OwnerReferences ?? [];

    private static bool HasRef(V1PersistentVolumeClaim claim, string? uid) => uid is not null && Refs(claim).Any(r => r.Uid == uid);

    // matchesRef: the same group/version, kind and name (the uid is compared separately).
    private static bool MatchesSet(V1OwnerReference r, V1StatefulSet set) =>
        r.ApiVersion == "apps/v1" && r.Kind == "StatefulSet" && r.Name == set.Metadata.Name;

    private static bool MatchesPod(V1OwnerReference r, V1Pod pod) => r.ApiVersion == "v1" && r.Kind == "Pod" && r.Name == pod.Metadata.Name;

    // metav1.NewControllerRef(pod, podKind).
    private static V1OwnerReference PodOwner(V1Pod pod) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Name = pod.Metadata.Name,
        Uid = pod.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
