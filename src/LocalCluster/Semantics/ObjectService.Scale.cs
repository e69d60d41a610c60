using System.Text.Json.Nodes;
using HipaaMongo.ApiMachinery;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Semantics;

public sealed partial class ObjectService
{
    /// <summary>The autoscaling/v1 Scale view of a StatefulSet (`/scale` subresource).</summary>
    public JsonObject GetScale(ResourceType type, string? ns, string name)
    {
        var obj = store.Get(type.StoreKey, ns, name) ?? throw StatusException.NotFound(type, name);
        return ScaleOf(obj);
    }

    static JsonObject ScaleOf(JsonObject obj)
    {
        var selector = LabelSelector.FromJson(obj["spec"]?["selector"] as JsonObject).ToString();
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = Meta.Name(obj),
                ["namespace"] = Meta.Namespace(obj),
                ["uid"] = Meta.Uid(obj),
                ["resourceVersion"] = obj["metadata"]?["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = obj["metadata"]?["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = Meta.Long(obj["spec"]?["replicas"]) ?? 0 },
            ["status"] = new JsonObject { ["replicas"] = Meta.Long(obj["status"]?["replicas"]) ?? 0, ["selector"] = selector },
        };
    }

    /// <summary>PUT or PATCH of `/scale`: only spec.replicas moves; the answer is the new Scale.</summary>
    public JsonObject UpdateScale(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> change, WriteOptions options)
    {
        lock (store.Gate)
        {
            var old = store.Get(type.StoreKey, ns, name) ?? throw StatusException.NotFound(type, name);
            var scale = change(ScaleOf(old));
            if (Meta.Long(scale["spec"]?["replicas"]) is not { } replicas || replicas < 0)
            {
                throw new StatusException(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: must be greater than or equal to 0",
                    new JsonObject { ["name"] = name, ["group"] = "autoscaling", ["kind"] = "Scale" });
            }
            var next = old.DeepClone().AsObject();
            next["spec"]!["replicas"] = replicas;
            var rv = Meta.Str(scale["metadata"]?["resourceVersion"]);
            var stored = Replace(type, old, next, null, rv, options);
            return ScaleOf(store.Get(type.StoreKey, ns, name) ?? stored);
        }
    }
}
