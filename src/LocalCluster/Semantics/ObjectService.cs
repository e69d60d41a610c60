using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Storage;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>
/// The object lifecycle of kube-apiserver's generic registry (doc §7, §8): create, update, status, delete with
/// finalizers, garbage collection. Every mutation runs under the store gate so read-modify-write is atomic.
/// </summary>
public sealed partial class ObjectService(ObjectStore store, TypeRegistry registry, TimeProvider clock)
{
    public ObjectStore Store => store;
    public TypeRegistry Registry => registry;

    string Now() => Meta.Time(clock.GetUtcNow());

    public JsonObject Get(ResourceType type, string? ns, string name)
    {
        var obj = store.Get(type.StoreKey, ns, name) ?? throw StatusException.NotFound(type, name);
        return Present(type, obj);
    }

    /// <summary>The stored object as the requested type shows it (apiVersion/kind, event conversion).</summary>
    public static JsonObject Present(ResourceType type, JsonObject stored)
    {
        var obj = stored.DeepClone().AsObject();
        if (type.Group == "events.k8s.io")
        {
            obj = EventConversion.ToEventsV1(obj);
        }
        obj["apiVersion"] = type.GroupVersion;
        obj["kind"] = type.Kind;
        if (type.IsCustom && type.Schema is not null)
        {
            // kube-apiserver defaults custom resources when reading them from storage too (doc §13).
            SchemaPipeline.For(type).ApplyDefaults(obj);
        }
        MoveFirst(obj, "kind");
        MoveFirst(obj, "apiVersion");
        return obj;
    }

    static void MoveFirst(JsonObject obj, string key)
    {
        if (obj[key] is not { } value)
        {
            return;
        }
        var rest = obj.Where(p => p.Key != key).Select(p => (p.Key, p.Value)).ToList();
        obj.Clear();
        obj[key] = value;
        foreach (var (k, v) in rest)
        {
            obj[k] = v;
        }
    }

    public (List<JsonObject> Items, long ResourceVersion) List(ResourceType type, string? ns, Func<JsonObject, bool> filter)
    {
        lock (store.Gate)
        {
            var items = store.List(type.StoreKey, ns).Where(filter).Select(o => Present(type, o)).ToList();
            return (items, store.CurrentResourceVersion);
        }
    }

    void RequireNamespace(ResourceType type, string? ns)
    {
        if (!type.Namespaced)
        {
            return;
        }
        var nsObj = store.Get("/namespaces", null, ns ?? "") ?? throw StatusException.NamespaceNotFound(ns ?? "");
        if (Meta.IsDeleting(nsObj))
        {
            throw new StatusException(403, "Forbidden",
                $"{type.Plural} is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                new JsonObject { ["kind"] = type.Plural });
        }
    }

    /// <summary>Checks apiVersion/kind and namespace of a body against the URL.</summary>
    static void CheckIdentity(ResourceType type, string? ns, JsonObject body)
    {
        var apiVersion = Meta.Str(body["apiVersion"]);
        var kind = Meta.Str(body["kind"]);
        if ((apiVersion is not null && apiVersion != type.GroupVersion && !(type.Kind == "Event" && apiVersion is "v1" or "events.k8s.io/v1"))
            || (kind is not null && kind != type.Kind))
        {
            throw StatusException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.GroupVersion})");
        }
        var bodyNs = Meta.Namespace(body);
        if (type.Namespaced && bodyNs is not null && bodyNs.Length > 0 && bodyNs != ns)
        {
            throw StatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }
}
