using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using HipaaMongo.ApiMachinery;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>The four patch content types kube-apiserver accepts (doc §11, §12).</summary>
public enum PatchKind
{
    Json,
    Merge,
    Strategic,
    Apply,
}

public sealed partial class ObjectService
{
    /// <summary>PATCH: returns the reply object and whether it was created (server-side apply upsert → 201).</summary>
    public (JsonObject Reply, bool Created) Patch(ResourceType type, string? ns, string name, string? subresource,
        PatchKind kind, JsonNode? patch, WriteOptions options)
    {
        var schema = PatchSchemaFor(type);
        if (kind == PatchKind.Strategic && !schema.SupportsStrategicMerge)
        {
            throw new StatusException(415, "UnsupportedMediaType", PatchSchema.StrategicMergeUnsupportedMessage, new JsonObject());
        }
        if (kind == PatchKind.Apply)
        {
            return ApplyPatch(type, ns, name, subresource, patch as JsonObject ?? throw StatusException.BadRequest("apply patch must be an object"), schema, options);
        }
        lock (store.Gate)
        {
            var old = store.Get(type.StoreKey, ns, name) ?? throw StatusException.NotFound(type, name);
            var current = Present(type, old);
            JsonNode? patched;
            try
            {
                patched = kind switch
                {
                    PatchKind.Json => JsonPatch.Apply(current, patch as JsonArray ?? throw StatusException.BadRequest("json patch must be an array of operations")),
                    PatchKind.Merge => JsonMergePatch.Apply(current, patch),
                    _ => StrategicMergePatch.Apply(current, patch, schema),
                };
            }
            catch (PatchException e) when (e.IsMalformed)
            {
                throw StatusException.BadRequest(e.Message);
            }
            catch (PatchException e)
            {
                // kube-apiserver answers a patch that does not apply (failed test, missing path) with 422.
                throw new StatusException(422, "Invalid", e.Message, new JsonObject());
            }
            if (patched is not JsonObject result)
            {
                throw StatusException.BadRequest("the patch did not produce an object");
            }
            var rv = Meta.Str(result["metadata"]?["resourceVersion"]);
            CheckIdentity(type, ns, result);
            if (Meta.Name(result) != name)
            {
                throw StatusException.BadRequest($"the name of the object ({Meta.Name(result)}) does not match the name on the URL ({name})");
            }
            return (Replace(type, old, Normalize(type, result), subresource, rv, options), false);
        }
    }

    static readonly ConditionalWeakTable<ResourceType, PatchSchema> PatchSchemas = new();

    /// <summary>The merge metadata of a kind, built once per served type.</summary>
    static PatchSchema PatchSchemaFor(ResourceType type) =>
        PatchSchemas.GetValue(type, t => t.IsCustom ? PatchSchema.FromOpenApi(t.Schema) : PatchSchema.ForKind(t.Group, t.Version, t.Kind));

    (JsonObject Reply, bool Created) ApplyPatch(ResourceType type, string? ns, string name, string? subresource,
        JsonObject applied, PatchSchema schema, WriteOptions options)
    {
        if (applied["metadata"]?["managedFields"] is not null)
        {
            throw StatusException.BadRequest("metadata.managedFields must be nil");
        }
        var appliedVersion = Meta.Str(applied["apiVersion"]);
        if (appliedVersion != type.GroupVersion || Meta.Str(applied["kind"]) != type.Kind)
        {
            throw StatusException.BadRequest($"Incorrect version specified in apply patch. Specified patch version: {appliedVersion}, expected: {type.GroupVersion}");
        }
        if (Meta.Name(applied) is { } n && n != name)
        {
            throw StatusException.BadRequest($"the name of the object ({n}) does not match the name on the URL ({name})");
        }
        lock (store.Gate)
        {
            var old = store.Get(type.StoreKey, ns, name);
            if (old is null && subresource is not null)
            {
                throw StatusException.NotFound(type, name);
            }
            var live = old is null ? null : Present(type, old);
            var result = ServerSideApply.Apply(live, applied, options.Manager, options.Force, schema, Now(), subresource);
            if (result.HasConflicts)
            {
                var causes = new JsonArray([.. result.Conflicts.Select(c => (JsonNode)new JsonObject
                {
                    ["reason"] = "FieldManagerConflict",
                    ["message"] = c.Message,
                    ["field"] = c.Field,
                })]);
                throw new StatusException(409, "Conflict", result.ConflictMessage,
                    new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural, ["causes"] = causes });
            }
            var merged = result.Merged;
            Meta.Of(merged)["name"] = name;
            if (old is null)
            {
                return (CreateApplied(type, ns, merged, options), true);
            }
            var rv = Meta.Str(applied["metadata"]?["resourceVersion"]);
            var normalized = Normalize(type, merged);
            return (Replace(type, old, normalized, subresource, rv, options with { Manager = ManagedByApply }), false);
        }
    }

    /// <summary>Marks a write whose managedFields the apply engine already computed.</summary>
    internal const string ManagedByApply = "\u0000apply";

    JsonObject CreateApplied(ResourceType type, string? ns, JsonObject merged, WriteOptions options)
    {
        var managed = merged["metadata"]?["managedFields"]?.DeepClone();
        var created = Create(type, ns, merged, options with { Manager = ManagedByApply });
        _ = managed;
        return created;
    }
}
