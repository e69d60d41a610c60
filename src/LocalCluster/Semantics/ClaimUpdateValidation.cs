using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using Quantity = HipaaMongo.ApiMachinery.Quantity;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>
/// What kube-apiserver lets a PersistentVolumeClaim update change, in its order: the strategy's validation
/// (pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimUpdate, 422), then the validating admission
/// plugin PersistentVolumeClaimResize (plugin/pkg/admission/storage/persistentvolume/resize/admission.go, 403).
/// RecoverVolumeExpansionFailure is on (GA in 1.34): a request may come back down, but never to status.capacity or
/// below. The immutability error here omits the cmp.Diff kube appends to its message.
/// </summary>
public static class ClaimUpdateValidation
{
    public const string ResizeForbidden =
        "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize";

    /// <param name="storageClass">The stored StorageClass of a name, or null (the plugin's scLister).</param>
    public static void Check(ResourceType type, JsonObject obj, JsonObject old, Func<string, JsonObject?> storageClass)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(storageClass);
        var name = Meta.Name(obj)!;
        var errors = new List<FieldError>();
        var bound = Meta.Str(old["status"]?["phase"]) == "Bound";
        if (!JsonNode.DeepEquals(Comparable(obj, old, bound), Comparable(old, old, bound)))
        {
            errors.Add(new FieldError("spec", "FieldValueForbidden",
                "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
        }
        var oldSize = Storage(old["spec"]);
        var newSize = Storage(obj["spec"]);
        var capacity = Meta.Str(old["status"]?["capacity"]?["storage"]);
        if (oldSize is not null && newSize is not null && Quantity.Compare(newSize, oldSize) < 0
            && (capacity is null || Quantity.Compare(newSize, capacity) <= 0))
        {
            errors.Add(new FieldError("spec.resources.requests.storage", "FieldValueForbidden",
                "Forbidden: field can not be less than status.capacity"));
        }
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(type, name, errors);
        }
        if (oldSize is null || newSize is null || Quantity.Compare(newSize, oldSize) <= 0)
        {
            return;
        }
        if (!bound)
        {
            throw Forbidden(type, name, "Only bound persistent volume claims can be expanded");
        }
        // allowResize: the same non-empty class before and after, and that class says allowVolumeExpansion: true.
        var className = Meta.Str(obj["spec"]?["storageClassName"]);
        if (string.IsNullOrEmpty(className) || className != Meta.Str(old["spec"]?["storageClassName"])
            || Meta.Bool(storageClass(className)?["allowVolumeExpansion"]) != true)
        {
            throw Forbidden(type, name, ResizeForbidden);
        }
    }

    // The spec with what a bound claim may change taken from the old one: the storage request (bound claims only),
    // volumeAttributesClassName, volumeName while it was still empty (the PV controller sets it once), and a class
    // while it had none.
    static JsonObject Comparable(JsonObject obj, JsonObject old, bool bound)
    {
        var spec = obj["spec"]?.DeepClone() as JsonObject ?? [];
        var oldSpec = old["spec"] as JsonObject;
        spec.Remove("volumeAttributesClassName");
        if (string.IsNullOrEmpty(Meta.Str(oldSpec?["volumeName"])))
        {
            spec.Remove("volumeName");
        }
        if (Meta.Str(oldSpec?["storageClassName"]) is null)
        {
            spec.Remove("storageClassName"); // RetroactiveDefaultStorageClass (GA 1.28): a class may be set once
        }
        if (bound && spec["resources"]?["requests"] is JsonObject requests)
        {
            requests["storage"] = oldSpec?["resources"]?["requests"]?["storage"]?.DeepClone();
        }
        return spec;
    }

    static string? Storage(JsonNode? spec) => Meta.Str(spec?["resources"]?["requests"]?["storage"]);

    // admission.NewForbidden -> apierrors.NewForbidden: `<resource> "<name>" is forbidden: <reason>`.
    static StatusException Forbidden(ResourceType type, string name, string reason) =>
        new(403, "Forbidden", $"{type.QualifiedResource} \"{name}\" is forbidden: {reason}",
            new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural });
}
