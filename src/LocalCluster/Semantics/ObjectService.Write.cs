using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Semantics;

public sealed partial class ObjectService
{
    const string Alphanumerics = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>POST: a new object (201), or 409 AlreadyExists.</summary>
    public JsonObject Create(ResourceType type, string? ns, JsonObject body, WriteOptions options)
    {
        CheckIdentity(type, ns, body);
        var obj = Normalize(type, body.DeepClone().AsObject());
        var meta = Meta.Of(obj);
        if (Meta.Name(obj) is not { Length: > 0 })
        {
            var prefix = Meta.Str(meta["generateName"]);
            if (prefix is null)
            {
                throw StatusException.Invalid(type, "", [new FieldError("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]);
            }
            meta["name"] = prefix + RandomNumberGenerator.GetString(Alphanumerics, 5);
        }
        var name = Meta.Name(obj)!;
        lock (store.Gate)
        {
            RequireNamespace(type, ns);
            if (store.Get(type.StoreKey, ns, name) is not null)
            {
                throw StatusException.AlreadyExists(type, name);
            }
            if (type.Namespaced)
            {
                meta["namespace"] = ns;
            }
            else
            {
                meta.Remove("namespace");
            }
            foreach (var key in new[] { "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink" })
            {
                meta.Remove(key);
            }
            if (options.Manager != ManagedByApply)
            {
                meta.Remove("managedFields");
            }
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Now();
            if (type.TracksGeneration)
            {
                meta["generation"] = 1;
            }
            if (type.HasStatus)
            {
                obj.Remove("status");
            }
            Prepare(type, obj, null, options);
            if (options.Manager != ManagedByApply)
            {
                FieldManagement.RecordUpdate(obj, null, options.Manager, type.GroupVersion, null, Now(), PatchSchemaFor(type));
            }
            if (options.DryRun)
            {
                return Present(type, obj);
            }
            var stored = store.Put(type.StoreKey, obj, null);
            var reply = Present(type, stored);
            AfterWrite(type, stored, null);
            CollectIfOrphaned(stored);
            return reply;
        }
    }

    /// <summary>PUT (main or status endpoint). Returns the stored object and whether it changed.</summary>
    public JsonObject Update(ResourceType type, string? ns, string name, string? subresource, JsonObject body, WriteOptions options)
    {
        CheckIdentity(type, ns, body);
        if (Meta.Name(body) is { } bodyName && bodyName != name)
        {
            throw StatusException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        lock (store.Gate)
        {
            var old = store.Get(type.StoreKey, ns, name) ?? throw StatusException.NotFound(type, name);
            var rv = Meta.Str(body["metadata"]?["resourceVersion"]);
            if (rv is null && type.IsCustom)
            {
                throw StatusException.Invalid(type, name, [new FieldError("metadata.resourceVersion", "FieldValueInvalid", "Invalid value: 0x0: must be specified for an update")]);
            }
            return Replace(type, old, Normalize(type, body.DeepClone().AsObject()), subresource, rv, options);
        }
    }

    /// <summary>The shared tail of PUT and PATCH: precondition, carry-over, generation, no-op detection, store.</summary>
    JsonObject Replace(ResourceType type, JsonObject old, JsonObject incoming, string? subresource, string? expectRv, WriteOptions options)
    {
        var name = Meta.Name(old)!;
        if (expectRv is not null && expectRv != Meta.Str(old["metadata"]?["resourceVersion"]))
        {
            throw StatusException.Conflict(type, name);
        }
        JsonObject next;
        if (subresource == "status")
        {
            // The status endpoint takes only status; everything else stays as stored.
            next = old.DeepClone().AsObject();
            next["status"] = incoming["status"]?.DeepClone();
            if (options.Manager == ManagedByApply && incoming["metadata"]?["managedFields"] is { } applied)
            {
                next["metadata"]!["managedFields"] = applied.DeepClone();
            }
        }
        else
        {
            next = incoming;
            if (type.HasStatus)
            {
                next["status"] = old["status"]?.DeepClone();
                if (next["status"] is null)
                {
                    next.Remove("status");
                }
            }
        }
        CarryMeta(old, next);
        CheckFinalizersWhileDeleting(type, old, next);
        // Defaults first, so a client that omits defaulted fields does not look like a spec change.
        Prepare(type, next, old, options);
        if (type.TracksGeneration && SpecChanged(type, old, next))
        {
            next["metadata"]!["generation"] = (Meta.Long(old["metadata"]?["generation"]) ?? 0) + 1;
        }
        if (FieldManagement.SameIgnoringBookkeeping(old, next))
        {
            return Present(type, old);
        }
        if (options.Manager != ManagedByApply)
        {
            FieldManagement.RecordUpdate(next, old, options.Manager, type.GroupVersion, subresource, Now(), PatchSchemaFor(type));
        }
        if (options.DryRun)
        {
            return Present(type, next);
        }
        if (Meta.IsDeleting(next) && Meta.Finalizers(next).Count == 0)
        {
            var gone = store.Remove(type.StoreKey, next);
            AfterWrite(type, null, old);
            // Its dependents may now be orphans, or a foreground owner may have been waiting for it.
            SettleGarbage();
            return Present(type, gone);
        }
        var stored = store.Put(type.StoreKey, next, old);
        var reply = Present(type, stored);
        AfterWrite(type, stored, old);
        CollectIfOrphaned(stored);
        return reply;
    }

    static void CarryMeta(JsonObject old, JsonObject next)
    {
        var oldMeta = Meta.Of(old);
        var meta = Meta.Of(next);
        foreach (var key in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (oldMeta[key] is { } v)
            {
                meta[key] = v.DeepClone();
            }
            else
            {
                meta.Remove(key);
            }
        }
        meta["resourceVersion"] = oldMeta["resourceVersion"]?.DeepClone();
        if (meta["managedFields"] is null && oldMeta["managedFields"] is { } mf)
        {
            meta["managedFields"] = mf.DeepClone();
        }
    }

    static void CheckFinalizersWhileDeleting(ResourceType type, JsonObject old, JsonObject next)
    {
        if (!Meta.IsDeleting(old))
        {
            return;
        }
        var before = Meta.Finalizers(old).ToHashSet();
        if (Meta.Finalizers(next).Any(f => !before.Contains(f)))
        {
            throw StatusException.Invalid(type, Meta.Name(old)!, [new FieldError("metadata.finalizers", "FieldValueForbidden", "Forbidden: no new finalizers can be added if the object is being deleted")]);
        }
    }

    /// <summary>CRs: any top-level key but metadata (and status when it is a subresource); built-ins: spec only.</summary>
    static bool SpecChanged(ResourceType type, JsonObject old, JsonObject next)
    {
        if (!type.IsCustom)
        {
            return !JsonNode.DeepEquals(old["spec"], next["spec"]);
        }
        var keys = old.Select(p => p.Key).Concat(next.Select(p => p.Key)).Distinct()
            .Where(k => k is not ("metadata" or "apiVersion" or "kind") && !(k == "status" && type.HasStatus));
        return keys.Any(k => !JsonNode.DeepEquals(old[k], next[k]));
    }

    /// <summary>Stores built-in events in core/v1 form, whichever API wrote them.</summary>
    static JsonObject Normalize(ResourceType type, JsonObject obj)
    {
        if (type.Group == "events.k8s.io")
        {
            obj = EventConversion.ToCore(obj);
        }
        obj.Remove("apiVersion");
        obj.Remove("kind");
        obj["apiVersion"] = type.Kind == "Event" ? "v1" : type.GroupVersion;
        obj["kind"] = type.Kind;
        if (obj["metadata"] is not JsonObject)
        {
            obj["metadata"] = new JsonObject();
        }
        return obj;
    }
}
