using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Deletion;

/// <summary>
/// What the finalizer does with a deleted HipaaMongo's data claims, pure (docs/deletion.md).
/// Retain: nothing is written. Delete: every member claim that is not yet owned by this very resource (uid-exact)
/// gets one non-controller ownerReference to it, so the garbage collector removes the claim only once the
/// resource is gone, and the kubelet's pvc-protection keeps it while a pod still mounts it.
/// </summary>
public static class VolumeHandoverPlanner
{
    /// <summary>Plans the handover for <paramref name="resource"/>, given the claims of its namespace.</summary>
    public static VolumeHandoverPlan Plan(HipaaMongoResource resource, IEnumerable<V1PersistentVolumeClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var meta = resource.Metadata ?? throw new ArgumentException("the resource has no metadata", nameof(resource));
        var members = MemberClaims.Of(meta.NamespaceProperty, meta.Name, claims);
        var names = members.Select(c => c.Metadata.Name).ToList();
        if (resource.Spec.DeletionPolicy != DeletionPolicy.Delete)
        {
            return new VolumeHandoverPlan(DeletionPolicy.Retain, names, [], OwnedBySet(members));
        }
        var uid = meta.Uid ?? throw new ArgumentException("the resource has no uid: its claims cannot be handed over", nameof(resource));
        var patches = members.Where(c => !OwnedBy(c, uid))
            .Select(c => new ClaimPatch(c.Metadata.Name, OwnerPatch(meta.Name, uid)))
            .ToList();
        return new VolumeHandoverPlan(DeletionPolicy.Delete, names, patches, []);
    }

    /// <summary>The ownerReference that hands a claim to resource <paramref name="name"/> (uid-exact).</summary>
    public static V1OwnerReference Owner(string name, string uid) => new()
    {
        ApiVersion = ApiGroup.ApiVersion,
        Kind = ApiGroup.Kind,
        Name = name,
        Uid = uid,
        // Not the controller (the claim is not ours to manage) and not blocking: a foreground delete of the
        // resource must not wait on data volumes, and blocking would need finalizers rights on the owner.
        Controller = false,
        BlockOwnerDeletion = false,
    };

    /// <summary>
    /// A strategic merge patch: ownerReferences merge by uid (patchMergeKey), so the claim's other owners are
    /// kept and a repeated patch changes nothing.
    /// </summary>
    public static string OwnerPatch(string name, string uid)
    {
        var owner = Owner(name, uid);
        var reference = new JsonObject
        {
            ["apiVersion"] = owner.ApiVersion,
            ["kind"] = owner.Kind,
            ["name"] = owner.Name,
            ["uid"] = owner.Uid,
            ["controller"] = owner.Controller,
            ["blockOwnerDeletion"] = owner.BlockOwnerDeletion,
        };
        return new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = new JsonArray(reference) } }.ToJsonString();
    }

    private static bool OwnedBy(V1PersistentVolumeClaim claim, string uid) =>
        claim.Metadata.OwnerReferences?.Any(o => o.Uid == uid) == true;

    // Under Retain a claim must have no owner that could take it away; a StatefulSet rendered before
    // whenDeleted was pinned to Retain may still own its claims until its controller drops the reference.
    private static List<string> OwnedBySet(IEnumerable<V1PersistentVolumeClaim> members) =>
    [
        .. members.Where(c => c.Metadata.OwnerReferences?.Any(o => o.Kind == "StatefulSet") == true).Select(c => c.Metadata.Name),
    ];
}

/// <summary>One merge of an ownerReference into one claim.</summary>
public sealed record ClaimPatch(string ClaimName, string StrategicMergePatch);

/// <summary>
/// The outcome for one resource: its member <paramref name="Claims"/> (names only), the <paramref name="Patches"/>
/// to send (Delete), and under Retain the claims a StatefulSet still owns (<paramref name="StillOwnedBySet"/>),
/// which keep the finalizer until that ownership is gone.
/// </summary>
public sealed record VolumeHandoverPlan(DeletionPolicy Policy, IReadOnlyList<string> Claims, IReadOnlyList<ClaimPatch> Patches,
    IReadOnlyList<string> StillOwnedBySet)
{
    /// <summary>True when the finalizer may be released after the patches.</summary>
    public bool CanRelease => StillOwnedBySet.Count == 0;

    /// <summary>The Normal Event's text: what happened to which claims, never their contents.</summary>
    public string Message => Policy == DeletionPolicy.Delete
        ? Claims.Count == 0
            ? "deletionPolicy Delete: no data volume claims to remove"
            : $"deletionPolicy Delete: data volume claims handed to garbage collection, removed once the resource is gone: {string.Join(", ", Claims)}"
        : Claims.Count == 0
            ? "deletionPolicy Retain: no data volume claims found; nothing removed"
            : $"deletionPolicy Retain: data volume claims kept: {string.Join(", ", Claims)}";
}
