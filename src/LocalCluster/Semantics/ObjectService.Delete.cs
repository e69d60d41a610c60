using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Semantics;

public sealed partial class ObjectService
{
    /// <summary>
    /// DELETE: removes at once (a Status reply, or the object where the type returns deleted objects) or marks for
    /// deletion (object reply) as doc §8 says.
    /// </summary>
    public (JsonObject Reply, bool Removed) Delete(ResourceType type, string? ns, string name, JsonObject? options, bool dryRun = false, bool settle = true)
    {
        lock (store.Gate)
        {
            var obj = store.Get(type.StoreKey, ns, name) ?? throw StatusException.NotFound(type, name);
            CheckPreconditions(type, obj, options?["preconditions"] as JsonObject);
            var policy = Meta.Str(options?["propagationPolicy"]) ?? (Meta.Bool(options?["orphanDependents"]) == true ? "Orphan" : "Background");
            if (policy is not ("Background" or "Foreground" or "Orphan"))
            {
                throw StatusException.Invalid(type, name, [new FieldError("propagationPolicy", "FieldValueNotSupported",
                    $"Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"")]);
            }
            if (dryRun)
            {
                return (Present(type, obj), false);
            }
            var result = DeleteLocked(type, obj, policy);
            if (settle)
            {
                SettleGarbage();
            }
            return result;
        }
    }

    static void CheckPreconditions(ResourceType type, JsonObject obj, JsonObject? pre)
    {
        var uid = Meta.Str(pre?["uid"]);
        var rv = Meta.Str(pre?["resourceVersion"]);
        var name = Meta.Name(obj)!;
        if (uid is not null && uid != Meta.Uid(obj))
        {
            throw new StatusException(409, "Conflict",
                $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {Meta.Uid(obj)}",
                new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural });
        }
        if (rv is not null && rv != Meta.Str(obj["metadata"]?["resourceVersion"]))
        {
            throw new StatusException(409, "Conflict",
                $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {Meta.Str(obj["metadata"]?["resourceVersion"])}",
                new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural });
        }
    }

    (JsonObject Reply, bool Removed) DeleteLocked(ResourceType type, JsonObject obj, string policy)
    {
        RememberDeleted(obj);
        var finalizers = Meta.Finalizers(obj);
        if (policy == "Foreground" && !finalizers.Contains("foregroundDeletion"))
        {
            finalizers.Add("foregroundDeletion");
        }
        if (policy == "Orphan" && !finalizers.Contains("orphan"))
        {
            finalizers.Add("orphan");
        }
        if (type.StoreKey == "/namespaces" && !finalizers.Contains("kubernetes"))
        {
            finalizers.Add("kubernetes");
        }
        if (finalizers.Count == 0)
        {
            var gone = store.Remove(type.StoreKey, obj);
            AfterWrite(type, null, obj);
            return (type.ReturnsDeletedObject ? Present(type, obj) : SuccessStatus(type, obj), true);
        }
        if (Meta.IsDeleting(obj))
        {
            return (Present(type, obj), false);
        }
        var next = obj.DeepClone().AsObject();
        var meta = Meta.Of(next);
        meta["deletionTimestamp"] = Now();
        meta["deletionGracePeriodSeconds"] = 0;
        Meta.SetFinalizers(next, finalizers);
        if (type.StoreKey == "/namespaces")
        {
            next["status"] = new JsonObject { ["phase"] = "Terminating" };
        }
        var stored = store.Put(type.StoreKey, next, obj);
        return (Present(type, stored), false);
    }

    static JsonObject SuccessStatus(ResourceType type, JsonObject obj) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject
        {
            ["name"] = Meta.Name(obj),
            ["group"] = type.Group,
            ["kind"] = type.Plural,
            ["uid"] = Meta.Uid(obj),
        },
    };

    ResourceType TypeOf(string storeKey) =>
        registry.All.First(t => t.StoreKey == storeKey);

    /// <summary>
    /// The garbage collector and namespace controller, run to a fixed point after each delete: orphan and
    /// foreground finalizers, dependents whose owners are all gone, emptying terminating namespaces.
    /// </summary>
    public void SettleGarbage()
    {
        lock (store.Gate)
        {
            SettleLocked();
        }
    }

    void SettleLocked()
    {
        for (var round = 0; round < 100; round++)
        {
            if (!SettleOnce())
            {
                return;
            }
        }
    }

    bool SettleOnce()
    {
        var all = store.All();
        var uids = all.Select(o => Meta.Uid(o.Object)).OfType<string>().ToHashSet();
        foreach (var (key, obj) in all.Where(o => Meta.IsDeleting(o.Object)))
        {
            if (Meta.Finalizers(obj).Contains("orphan"))
            {
                OrphanDependents(all, obj);
                DropFinalizer(key, obj, "orphan");
                return true;
            }
            if (Meta.Finalizers(obj).Contains("foregroundDeletion"))
            {
                var deps = Dependents(all, obj);
                foreach (var (dk, dep) in deps.Where(d => !Meta.IsDeleting(d.Object)))
                {
                    DeleteLocked(TypeOf(dk), dep, "Background");
                }
                if (deps.Count == 0)
                {
                    DropFinalizer(key, obj, "foregroundDeletion");
                    return true;
                }
                if (deps.Any(d => !Meta.IsDeleting(d.Object)))
                {
                    return true;
                }
            }
            if (key == "/namespaces" && EmptyNamespace(all, obj))
            {
                return true;
            }
        }
        foreach (var (key, obj) in all.Where(o => !Meta.IsDeleting(o.Object)))
        {
            var owners = Meta.OwnerUids(obj).ToList();
            if (owners.Count > 0 && owners.All(u => !uids.Contains(u)))
            {
                DeleteLocked(TypeOf(key), obj, "Background");
                return true;
            }
        }
        return false;
    }

    // Uids of objects deleted through this server (bounded), so a dependent written after its owner is gone is known
    // to be an orphan. Owners that never existed here are left alone: fixtures name made-up owner uids.
    const int DeletedUidsKept = 100_000;
    readonly HashSet<string> deletedUids = [];
    readonly Queue<string> deletedOrder = new();

    void RememberDeleted(JsonObject obj)
    {
        if (Meta.Uid(obj) is not { } uid || !deletedUids.Add(uid))
        {
            return;
        }
        deletedOrder.Enqueue(uid);
        if (deletedOrder.Count > DeletedUidsKept)
        {
            deletedUids.Remove(deletedOrder.Dequeue());
        }
    }

    /// <summary>
    /// The garbage collector's graph builder sees every added or updated object, not only deletions: a dependent
    /// created or updated after its owners were deleted (a controller racing its owner's deletion, or an
    /// ownerReference added to an object that is gone) is collected as attemptToDeleteItem would.
    /// </summary>
    void CollectIfOrphaned(JsonObject stored)
    {
        var owners = Meta.OwnerUids(stored).ToList();
        if (owners.Count == 0 || Meta.IsDeleting(stored) || !owners.Any(deletedUids.Contains))
        {
            return;
        }
        var present = store.All().Select(o => Meta.Uid(o.Object)).OfType<string>().ToHashSet();
        if (owners.All(u => !present.Contains(u)))
        {
            SettleGarbage();
        }
    }

    static List<(string StoreKey, JsonObject Object)> Dependents(List<(string StoreKey, JsonObject Object)> all, JsonObject owner)
    {
        var uid = Meta.Uid(owner);
        return [.. all.Where(o => Meta.OwnerUids(o.Object).Contains(uid))];
    }

    void OrphanDependents(List<(string StoreKey, JsonObject Object)> all, JsonObject owner)
    {
        var uid = Meta.Uid(owner);
        foreach (var (key, dep) in Dependents(all, owner))
        {
            var next = dep.DeepClone().AsObject();
            var refs = next["metadata"]!["ownerReferences"]!.AsArray();
            var kept = refs.Where(r => Meta.Str(r?["uid"]) != uid).Select(r => r!.DeepClone()).ToArray();
            if (kept.Length == 0)
            {
                next["metadata"]!.AsObject().Remove("ownerReferences");
            }
            else
            {
                next["metadata"]!["ownerReferences"] = new JsonArray(kept);
            }
            store.Put(key, next, dep);
        }
    }

    void DropFinalizer(string key, JsonObject obj, string finalizer)
    {
        var next = obj.DeepClone().AsObject();
        Meta.SetFinalizers(next, Meta.Finalizers(obj).Where(f => f != finalizer));
        if (Meta.Finalizers(next).Count == 0)
        {
            store.Remove(key, obj);
            AfterWrite(TypeOf(key), null, obj);
        }
        else
        {
            store.Put(key, next, obj);
        }
    }

    /// <summary>The namespace controller: delete everything inside, then drop the "kubernetes" finalizer.</summary>
    bool EmptyNamespace(List<(string StoreKey, JsonObject Object)> all, JsonObject ns)
    {
        var name = Meta.Name(ns);
        var inside = all.Where(o => Meta.Namespace(o.Object) == name && o.StoreKey != "/namespaces").ToList();
        var pending = inside.Where(o => !Meta.IsDeleting(o.Object)).ToList();
        foreach (var (key, obj) in pending)
        {
            DeleteLocked(TypeOf(key), obj, "Background");
        }
        if (inside.Count == 0 && Meta.Finalizers(ns).Contains("kubernetes"))
        {
            DropFinalizer("/namespaces", ns, "kubernetes");
            return true;
        }
        return pending.Count > 0;
    }
}
