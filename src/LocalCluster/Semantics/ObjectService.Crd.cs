using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Semantics;

public sealed partial class ObjectService
{
    internal const string CrdStoreKey = "apiextensions.k8s.io/customresourcedefinitions";

    /// <summary>Controllers that react to a stored change: the CRD naming/establishing controller.</summary>
    void AfterWrite(ResourceType type, JsonObject? stored, JsonObject? old)
    {
        if (type.StoreKey != CrdStoreKey)
        {
            return;
        }
        if (stored is null)
        {
            var crdName = Meta.Name(old!)!;
            foreach (var t in registry.All.Where(t => t.IsCustom && $"{t.Plural}.{t.Group}" == crdName).DistinctBy(t => t.StoreKey))
            {
                foreach (var cr in store.List(t.StoreKey, null))
                {
                    store.Remove(t.StoreKey, cr);
                }
            }
            registry.RemoveCrd(crdName);
            return;
        }
        // Served (and in discovery) before Established is written: a client that waits for Established, as
        // `kubectl wait --for=condition=Established` does, then finds the kind (the establishing controller marks a CRD
        // Established only once its handler serves it).
        registry.SetCrd(Meta.Name(stored)!, TypeRegistry.FromCrd(stored));
        if (old is null)
        {
            Establish(stored);
        }
    }

    /// <summary>Serves the CRDs of a restored state again.</summary>
    public void RestoreCrds()
    {
        foreach (var crd in store.List(CrdStoreKey, null))
        {
            registry.SetCrd(Meta.Name(crd)!, TypeRegistry.FromCrd(crd));
        }
    }

    /// <summary>What the naming and establishing controllers write right after a CRD is created (doc §13).</summary>
    void Establish(JsonObject crd)
    {
        var next = crd.DeepClone().AsObject();
        var names = next["spec"]?["names"]?.DeepClone().AsObject() ?? [];
        names["singular"] ??= (Meta.Str(names["kind"]) ?? "").ToLowerInvariant();
        names["listKind"] ??= Meta.Str(names["kind"]) + "List";
        var now = Now();
        var status = next["status"] as JsonObject ?? [];
        status["acceptedNames"] = names;
        status["conditions"] = new JsonArray(
            Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
            Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now));
        next["status"] = status;
        store.Put(CrdStoreKey, next, crd);
    }

    static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    /// <summary>
    /// A schema must be an object schema, and every CEL rule must compile: a CRD whose rules would be skipped is
    /// refused rather than served with unchecked rules (doc §13).
    /// </summary>
    static List<FieldError> SchemaErrors(JsonObject? schema, string path)
    {
        if (schema is null)
        {
            return [new FieldError(path, "FieldValueRequired", "Required value: schemas are required")];
        }
        try
        {
            return HipaaMongo.ApiMachinery.StructuralSchema.FromOpenApi(schema).UncompilableRules()
                .Select(r => new FieldError($"{path}{(r.Field.Length > 0 ? "." + r.Field : "")}.x-kubernetes-validations", "FieldValueInvalid",
                    $"Invalid value: \"{r.Rule}\": compilation failed: {r.Reason}"))
                .ToList();
        }
        catch (ArgumentException e)
        {
            return [new FieldError(path, "FieldValueInvalid", $"Invalid value: \"object\": {e.Message}")];
        }
    }

    /// <summary>CRD-specific validation on write: the name is plural.group and a storage version exists.</summary>
    static void ValidateCrd(ResourceType type, JsonObject crd)
    {
        var name = Meta.Name(crd) ?? "";
        var spec = crd["spec"] as JsonObject;
        var expected = $"{Meta.Str(spec?["names"]?["plural"])}.{Meta.Str(spec?["group"])}";
        var errors = new List<FieldError>();
        foreach (var (field, value) in new[] { ("spec.group", spec?["group"]), ("spec.names.plural", spec?["names"]?["plural"]), ("spec.names.kind", spec?["names"]?["kind"]) })
        {
            if (Meta.Str(value) is not { Length: > 0 })
            {
                errors.Add(new FieldError(field, "FieldValueRequired", "Required value"));
            }
        }
        if (Meta.Str(spec?["scope"]) is not ("Namespaced" or "Cluster"))
        {
            errors.Add(new FieldError("spec.scope", "FieldValueNotSupported", $"Unsupported value: \"{Meta.Str(spec?["scope"])}\": supported values: \"Cluster\", \"Namespaced\""));
        }
        if (name != expected)
        {
            errors.Add(new FieldError("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }
        var versions = spec?["versions"] as JsonArray ?? [];
        if (versions.Any(v => v is not JsonObject || Meta.Str(v["name"]) is not { Length: > 0 }))
        {
            errors.Add(new FieldError("spec.versions", "FieldValueInvalid", "Invalid value: every version needs a name"));
        }
        if (versions.Count(v => Meta.Bool(v?["storage"]) == true) != 1)
        {
            errors.Add(new FieldError("spec.versions", "FieldValueInvalid", "Invalid value: must have exactly one version marked as storage version"));
        }
        for (var i = 0; i < versions.Count; i++)
        {
            errors.AddRange(SchemaErrors(versions[i]?["schema"]?["openAPIV3Schema"] as JsonObject, $"spec.versions[{i}].schema.openAPIV3Schema"));
        }
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(type, name, errors);
        }
        if (crd["status"] is not JsonObject)
        {
            var storage = versions.FirstOrDefault(v => Meta.Bool(v?["storage"]) == true);
            crd["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(),
                ["acceptedNames"] = new JsonObject { ["plural"] = "", ["kind"] = "" },
                ["storedVersions"] = new JsonArray(Meta.Str(storage?["name"])),
            };
        }
    }
}
