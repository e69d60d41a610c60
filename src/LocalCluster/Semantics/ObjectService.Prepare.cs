using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Semantics;

public sealed partial class ObjectService
{
    /// <summary>At most one ownerReference may be the controller (apimachinery ValidateOwnerReferences).</summary>
    static void CheckSingleController(ResourceType type, JsonObject obj)
    {
        var controllers = (obj["metadata"]?["ownerReferences"] as JsonArray ?? [])
            .OfType<JsonObject>().Where(r => Meta.Bool(r["controller"]) == true).ToList();
        if (controllers.Count > 1)
        {
            var names = string.Join(", ", controllers.Select(r => $"{Meta.Str(r["kind"])}/{Meta.Str(r["name"])}"));
            throw StatusException.Invalid(type, Meta.Name(obj) ?? "", [new FieldError("metadata.ownerReferences", "FieldValueInvalid",
                $"Invalid value: \"object\": Only one reference can have Controller set to true. Found \"true\" in references for {names}")]);
        }
    }

    /// <summary>Field validation, defaulting and kind-specific checks, applied to every write (doc §7, §13, §14).</summary>
    void Prepare(ResourceType type, JsonObject obj, JsonObject? old, WriteOptions options)
    {
        CheckSingleController(type, obj);
        if (old is null)
        {
            NameValidation.Check(type, obj);
        }
        if (type.IsCustom)
        {
            if (type.Schema is not null)
            {
                SchemaPipeline.Run(type, obj, old, options);
            }
            return;
        }
        if (type.ModelType is { } model)
        {
            if (TypedDecoder.Problem(obj, model) is { } problem)
            {
                throw StatusException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {problem}");
            }
            var unknown = StrictDecoder.UnknownFields(obj, model, drop: options.FieldValidation != "Strict");
            if (unknown.Count > 0 && options.FieldValidation == "Strict")
            {
                var list = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
                throw StatusException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {list}");
            }
            if (options.FieldValidation == "Warn")
            {
                options.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
            }
        }
        BuiltinDefaults.Apply(type, obj, old, this);
        if (type.StoreKey == CrdStoreKey)
        {
            ValidateCrd(type, obj);
        }
        if (type.Kind == "StatefulSet" && old is not null)
        {
            BuiltinDefaults.CheckStatefulSetImmutable(type, obj, old);
        }
        if (old is not null)
        {
            UpdateValidation.Check(type, obj, old);
        }
        if (old is not null && type.Kind == "PersistentVolumeClaim" && type.Group.Length == 0)
        {
            ClaimUpdateValidation.Check(type, obj, old, name => store.Get("storage.k8s.io/storageclasses", null, name));
        }
    }
}
