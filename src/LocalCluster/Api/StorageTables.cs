using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>
/// Server-side printing of the storage kinds and ControllerRevision, as kubernetes/pkg/printers/internalversion/printers.go
/// (v1.32) prints them: persistentVolumeColumnDefinitions/printPersistentVolume,
/// persistentVolumeClaimColumnDefinitions/printPersistentVolumeClaim, storageClassColumnDefinitions/printStorageClass,
/// controllerRevisionColumnDefinition/printControllerRevision.
/// </summary>
public static class StorageTables
{
    static string Or(JsonNode? n, string fallback) => n is JsonValue v ? v.ToString() : fallback;

    static string Text(JsonNode? n) => n is JsonValue v ? v.ToString() : "";

    static Column C(string name, Func<JsonObject, JsonNode?> cell, int priority = 0, string type = "string") =>
        new(name, type, "", name, priority, (o, _) => cell(o));

    public static IReadOnlyList<Column>? ColumnsFor(string kind, Column name, Column age) => kind switch
    {
        "PersistentVolume" =>
        [
            name,
            C("Capacity", o => Text(o["spec"]?["capacity"]?["storage"])),
            C("Access Modes", o => AccessModes(o["spec"]?["accessModes"])),
            C("Reclaim Policy", o => Or(o["spec"]?["persistentVolumeReclaimPolicy"], "")),
            C("Status", o => Phase(o)),
            C("Claim", o => o["spec"]?["claimRef"] is JsonObject r ? $"{Text(r["namespace"])}/{Text(r["name"])}" : ""),
            C("StorageClass", o => ClassOf(o, o["spec"]?["storageClassName"])),
            C("VolumeAttributesClass", o => Or(o["spec"]?["volumeAttributesClassName"], "<unset>")),
            C("Reason", o => Text(o["status"]?["reason"])),
            age,
            C("VolumeMode", o => Or(o["spec"]?["volumeMode"], "<unset>"), priority: 1),
        ],
        "PersistentVolumeClaim" =>
        [
            name,
            C("Status", o => Phase(o)),
            C("Volume", o => Text(o["spec"]?["volumeName"])),
            // printPersistentVolumeClaim shows capacity and access modes only once the claim names a volume.
            C("Capacity", o => Bound(o) ? Text(o["status"]?["capacity"]?["storage"]) : ""),
            C("Access Modes", o => Bound(o) ? AccessModes(o["status"]?["accessModes"]) : ""),
            C("StorageClass", o => ClassOf(o, o["spec"]?["storageClassName"])),
            C("VolumeAttributesClass", o => Or(o["spec"]?["volumeAttributesClassName"], "<unset>")),
            age,
            C("VolumeMode", o => Or(o["spec"]?["volumeMode"], "<unset>"), priority: 1),
        ],
        "StorageClass" =>
        [
            C("Name", o => IsDefaultClass(o) ? $"{Text(o["metadata"]?["name"])} (default)" : Text(o["metadata"]?["name"])) with { Format = "name" },
            C("Provisioner", o => Text(o["provisioner"])),
            C("ReclaimPolicy", o => Or(o["reclaimPolicy"], "Delete")),
            C("VolumeBindingMode", o => Or(o["volumeBindingMode"], "Immediate")),
            C("AllowVolumeExpansion", o => JsonValue.Create(Semantics.Meta.Bool(o["allowVolumeExpansion"]) ?? false)),
            age,
        ],
        "ControllerRevision" =>
        [
            name,
            C("Controller", ControllerOf),
            C("Revision", o => JsonValue.Create(Semantics.Meta.Long(o["revision"]) ?? 0)),
            age,
        ],
        _ => null,
    };

    static bool Bound(JsonObject pvc) => Text(pvc["spec"]?["volumeName"]).Length > 0;

    /// <summary>"Terminating" while deleting, else status.phase (both printers).</summary>
    static JsonNode Phase(JsonObject o) =>
        o["metadata"]?["deletionTimestamp"] is not null ? "Terminating" : Text(o["status"]?["phase"]);

    /// <summary>helper.GetPersistentVolume(Claim)Class: the beta annotation wins over spec.storageClassName.</summary>
    static JsonNode ClassOf(JsonObject o, JsonNode? specClass) =>
        o["metadata"]?["annotations"]?["volume.beta.kubernetes.io/storage-class"] is JsonValue a ? a.ToString() : Text(specClass);

    /// <summary>storageutil.IsDefaultAnnotation: the GA or beta is-default-class annotation equal to "true".</summary>
    static bool IsDefaultClass(JsonObject o)
    {
        var annotations = o["metadata"]?["annotations"];
        return Text(annotations?["storageclass.kubernetes.io/is-default-class"]) == "true"
            || Text(annotations?["storageclass.beta.kubernetes.io/is-default-class"]) == "true";
    }

    /// <summary>helper.GetAccessModesAsString: fixed order RWO, ROX, RWX, RWOP, duplicates removed.</summary>
    public static string AccessModes(JsonNode? modes)
    {
        var set = (modes as JsonArray ?? []).Select(Text).ToHashSet(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var (mode, abbreviation) in new[] { ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP") })
        {
            if (set.Contains(mode))
            {
                result.Add(abbreviation);
            }
        }
        return string.Join(",", result);
    }

    /// <summary>formatResourceName(GroupKind of the controller ref, name, true): "statefulset.apps/db", or "&lt;none&gt;".</summary>
    static JsonNode ControllerOf(JsonObject o)
    {
        var owner = (o["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(r => Semantics.Meta.Bool(r["controller"]) == true);
        if (owner is null)
        {
            return "<none>";
        }
        var apiVersion = Text(owner["apiVersion"]);
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var kind = Text(owner["kind"]);
        var groupKind = group.Length == 0 ? kind : $"{kind}.{group}";
        return $"{groupKind.ToLowerInvariant()}/{Text(owner["name"])}";
    }
}
