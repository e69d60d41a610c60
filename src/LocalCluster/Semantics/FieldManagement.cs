using System.Text.Json.Nodes;
using HipaaMongo.ApiMachinery;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>
/// managedFields bookkeeping for non-apply writes: one "Update" entry per manager (and subresource) whose
/// fieldsV1 lists the fields the object has. Apply entries come from the ApiMachinery apply engine.
/// </summary>
public static class FieldManagement
{
    /// <summary>True when two objects differ only in resourceVersion and managedFields timestamps (a no-op write).</summary>
    public static bool SameIgnoringBookkeeping(JsonObject a, JsonObject b)
    {
        var x = Strip(a);
        var y = Strip(b);
        return JsonNode.DeepEquals(x, y);
    }

    static JsonObject Strip(JsonObject o)
    {
        var c = o.DeepClone().AsObject();
        if (c["metadata"] is JsonObject m)
        {
            m.Remove("resourceVersion");
            if (m["managedFields"] is JsonArray mf)
            {
                foreach (var e in mf.OfType<JsonObject>())
                {
                    e.Remove("time");
                }
            }
        }
        return c;
    }

    /// <summary>
    /// Records the manager's Update entry for a write, in place (ApiMachinery's ManagedFields.RecordUpdate:
    /// the manager owns what it added or changed; other managers lose those fields).
    /// </summary>
    public static void RecordUpdate(JsonObject obj, JsonObject? old, string manager, string apiVersion, string? subresource, string time, PatchSchema schema)
    {
        var recorded = ManagedFields.RecordUpdate(old, obj, manager, time, schema, subresource, apiVersion);
        var entries = recorded["metadata"]?["managedFields"]?.DeepClone();
        var meta = Meta.Of(obj);
        if (entries is JsonArray { Count: > 0 })
        {
            meta["managedFields"] = entries;
        }
        else
        {
            meta.Remove("managedFields");
        }
    }
}
