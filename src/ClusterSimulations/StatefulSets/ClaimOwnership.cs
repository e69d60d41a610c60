using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// Which ownerReferences the StatefulSet controller keeps on a claim for the set's
/// persistentVolumeClaimRetentionPolicy (kubernetes stateful_set_utils.go isClaimOwnerUpToDate and
/// updateClaimOwnerRefForSetAndPod, StatefulSetAutoDeletePVC, on by default since 1.27): whenDeleted: Delete makes
/// the set the claim's controller; Retain removes that reference again, so a policy changed from Delete to Retain
/// stops the set's deletion from garbage-collecting the claim. Only the set's reference is simulated: claims of
/// scaled-away ordinals under whenScaled: Delete are deleted by the planner rather than handed to their pod.
/// </summary>
public static class ClaimOwnership
{
    private const string SetApiVersion = "apps/v1";
    private const string SetKind = "StatefulSet";

    /// <summary>
    /// The claim's new ownerReferences (null when they are up to date) for the pod of an ordinal that is
    /// <paramref name="podInRange"/> (within the set's replicas) or scaled away.
    /// </summary>
    public static IList<V1OwnerReference>? Updated(V1PersistentVolumeClaim claim, V1StatefulSet set, bool podInRange)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(set);
        var refs = claim.Metadata.OwnerReferences ?? [];
        if (refs.Any(r => MatchesSet(r, set) && r.Uid != set.Metadata.Uid))
        {
            return null; // a previous set of this name manages it: not touched (hasStaleOwnerRef)
        }
        var policy = set.Spec.PersistentVolumeClaimRetentionPolicy;
        var allRetain = policy?.WhenDeleted != "Delete" && policy?.WhenScaled != "Delete";
        var hasSet = refs.Any(r => r.Uid == set.Metadata.Uid);
        if (!allRetain && refs.Any(r => !MatchesSet(r, set) && r.Controller == true))
        {
            // Another controller owns it: only our own reference is scrubbed (hasUnexpectedController).
            return hasSet ? Scrubbed(refs, set) : null;
        }
        var wantSet = policy?.WhenDeleted == "Delete" && (policy.WhenScaled != "Delete" || podInRange);
        var nonController = refs.Any(r => r.Uid == set.Metadata.Uid && r.Controller != true);
        if (wantSet == hasSet && !nonController)
        {
            return null;
        }
        var updated = Scrubbed(refs, set);
        if (wantSet)
        {
            updated.Add(StatefulSetObjects.Owner(set));
        }
        return updated;
    }

    private static List<V1OwnerReference> Scrubbed(IEnumerable<V1OwnerReference> refs, V1StatefulSet set) =>
        [.. refs.Where(r => !MatchesSet(r, set))];

    // matchesRef: the same group/version, kind and name (the uid is compared separately).
    private static bool MatchesSet(V1OwnerReference r, V1StatefulSet set) =>
        r.ApiVersion == SetApiVersion && r.Kind == SetKind && r.Name == set.Metadata.Name;
}
