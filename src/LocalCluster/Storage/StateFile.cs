using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Storage;

/// <summary>
/// Optional persistence between runs: a JSON snapshot of every object and the resourceVersion counter, so a
/// restarted server keeps its objects and its resourceVersions never go backwards (doc §7).
/// </summary>
public static class StateFile
{
    public static void Save(ObjectStore store, string path)
    {
        var items = new JsonArray();
        long rv;
        lock (store.Gate)
        {
            rv = store.CurrentResourceVersion;
            foreach (var (key, obj) in store.All())
            {
                items.Add(new JsonObject { ["storeKey"] = key, ["object"] = obj.DeepClone() });
            }
        }
        var doc = new JsonObject { ["resourceVersion"] = rv, ["items"] = items };
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, doc.ToJsonString());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The saved objects and counter, or null when there is no usable file.</summary>
    public static (long ResourceVersion, List<(string StoreKey, JsonObject Object)> Items)? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        JsonNode? doc;
        try
        {
            doc = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        var rv = Semantics.Meta.Long(doc?["resourceVersion"]) ?? 1;
        var items = (doc?["items"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(i => i["storeKey"] is JsonValue && i["object"] is JsonObject)
            .Select(i => ((string)i["storeKey"]!, i["object"]!.DeepClone().AsObject()))
            .ToList();
        return (rv, items);
    }
}
