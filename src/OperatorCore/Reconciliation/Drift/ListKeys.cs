using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// The merge keys of the lists in the objects we render (k8s.io/api, the patchMergeKey tag of each field), so a
/// list element is named by its key in a field path (<c>env[name=LD_PRELOAD]</c>) and matched by it, not by position.
/// A list whose elements do not all carry the key, or share a value of it (port 53 over TCP and UDP: the real
/// list-map key is port and protocol), is compared by position.
/// </summary>
internal static class ListKeys
{
    private static readonly Dictionary<string, string[]> Keys = new(StringComparer.Ordinal)
    {
        ["containers"] = ["name"],
        ["initContainers"] = ["name"],
        ["ephemeralContainers"] = ["name"],
        ["volumes"] = ["name"],
        ["env"] = ["name"],
        ["volumeMounts"] = ["mountPath"],
        ["volumeDevices"] = ["devicePath"],
        ["ownerReferences"] = ["uid"],
        ["imagePullSecrets"] = ["name"],
        ["hostAliases"] = ["ip"],
        ["resourceClaims"] = ["name"],
        // Container ports are keyed by containerPort, Service ports by port.
        ["ports"] = ["containerPort", "port"],
    };

    public static string? For(IReadOnlyList<string> path, JsonArray desired, JsonArray live)
    {
        var field = path.Count > 0 ? path[^1] : "";
        return Keys.TryGetValue(field, out var candidates)
            ? candidates.FirstOrDefault(k => Unique(desired, k) && Unique(live, k))
            : null;
    }

    private static bool Unique(JsonArray list, string key)
    {
        var values = list.Select(e => e is JsonObject o && o[key] is JsonValue v ? v.ToJsonString() : null).ToList();
        return values.All(v => v is not null) && values.Distinct(StringComparer.Ordinal).Count() == values.Count;
    }
}
