using HipaaMongo.ApiMachinery;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Apply;

namespace HipaaMongo.Operator.Reconciliation.Storage;

/// <summary>One data claim as read: its storage request, status.capacity and class (null: none set).</summary>
public sealed record ClaimState(string Name, string? Requested, string? Capacity, string? StorageClassName);

/// <summary>What a pass does about the members' volume size.</summary>
public enum StorageAction
{
    /// <summary>The StatefulSet asks for the spec's size (or does not exist yet): nothing to do.</summary>
    None,

    /// <summary>Sizes differ: read the claims and their classes, then plan again with them.</summary>
    ReadClaims,

    /// <summary>Grow <see cref="StoragePlan.Resize"/>, then delete the StatefulSet leaving its pods (it comes back at the new size).</summary>
    Expand,

    /// <summary>The StatefulSet is going away (an orphaning delete): leave it alone until it is gone.</summary>
    Wait,

    /// <summary>The size cannot be applied: the StatefulSet keeps its current claim size, everything else is applied.</summary>
    Refuse,
}

/// <summary>The decision, with the claims to grow, and for a refusal or a wait the failure that status and Events report.</summary>
public sealed record StoragePlan(StorageAction Action, IReadOnlyList<string> Resize, ChildFailure? Failure)
{
    public static StoragePlan Nothing { get; } = new(StorageAction.None, [], null);
}

/// <summary>
/// Pure: growing the members' volumes. A StatefulSet's volumeClaimTemplates are immutable (apps validation
/// ValidateStatefulSetUpdate), so the documented way is: grow each claim (its StorageClass must say
/// allowVolumeExpansion: true, or the API forbids it), then delete the StatefulSet with propagationPolicy Orphan so
/// its pods keep running, and create it again with the new template; the new set adopts the running pods
/// (kubernetes.io/docs/concepts/storage/persistent-volumes/#expanding-persistent-volumes-claims; kubectl delete
/// --cascade=orphan). A volume never shrinks (ValidatePersistentVolumeClaimUpdate): a smaller size is refused and
/// nothing is deleted. Claims are read only when the StatefulSet's size differs, so a pass at rest makes no request.
/// </summary>
public static class StoragePlanner
{
    /// <param name="desired">spec.storage.size.</param>
    /// <param name="template">The live StatefulSet's claim template size; null when there is no StatefulSet.</param>
    /// <param name="deleting">The live StatefulSet has a deletionTimestamp.</param>
    /// <param name="claims">The data claims (null: not read yet).</param>
    /// <param name="allowsExpansion">allowVolumeExpansion of each class the claims name (absent: no such class).</param>
    public static StoragePlan Plan(string statefulSet, string desired, string? template, bool deleting, IReadOnlyList<ClaimState>? claims,
        IReadOnlyDictionary<string, bool> allowsExpansion)
    {
        ArgumentNullException.ThrowIfNull(allowsExpansion);
        if (deleting)
        {
            return new StoragePlan(StorageAction.Wait, [], ChildFailure.Held("StatefulSet", statefulSet, ConditionReasons.StorageExpanding,
                "being deleted with its pods left running (an orphaning delete); it is created again once gone", untilChange: false));
        }
        if (template is null || Quantity.Compare(desired, template) == 0)
        {
            return StoragePlan.Nothing;
        }
        if (Quantity.Compare(desired, template) < 0)
        {
            return Refuse(statefulSet, ConditionReasons.StorageShrinkRefused,
                $"spec.storage.size {desired} is smaller than the members' volumes ({template}): a volume never shrinks; "
                + $"the StatefulSet keeps {template} and nothing is deleted");
        }
        if (claims is null)
        {
            return new StoragePlan(StorageAction.ReadClaims, [], null);
        }
        var grow = claims.Where(c => c.Requested is null || Quantity.Compare(c.Requested, desired) < 0).ToList();
        var fixedSize = grow.Where(c => c.StorageClassName is not { Length: > 0 } name
            || !allowsExpansion.TryGetValue(name, out var allowed) || !allowed).ToList();
        if (fixedSize.Count > 0)
        {
            var classes = string.Join(", ", fixedSize.Select(c => c.StorageClassName ?? "(none)").Distinct().Order(StringComparer.Ordinal));
            return Refuse(statefulSet, ConditionReasons.StorageExpansionUnsupported,
                $"spec.storage.size {desired} needs the claims to grow, but StorageClass {classes} does not allow volume expansion "
                + $"(allowVolumeExpansion is not true) for {string.Join(", ", fixedSize.Select(c => c.Name))}; the StatefulSet keeps {template}");
        }
        return new StoragePlan(StorageAction.Expand, [.. grow.Select(c => c.Name)], ChildFailure.Held("StatefulSet", statefulSet,
            ConditionReasons.StorageExpanding,
            $"storage {template} -> {desired}: {grow.Count} claim(s) resized; re-created with its pods left running (volumeClaimTemplates are immutable)",
            untilChange: false));
    }

    private static StoragePlan Refuse(string statefulSet, string reason, string message) =>
        new(StorageAction.Refuse, [], ChildFailure.Held("PersistentVolumeClaim", $"{Baseline.PodVolumes.Data}-{statefulSet}-*", reason, message, untilChange: true));
}
