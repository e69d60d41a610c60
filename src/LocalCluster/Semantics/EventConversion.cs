using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>core/v1 Event ↔ events.k8s.io/v1 Event field mapping (pkg/apis/events/v1/conversion.go).</summary>
public static class EventConversion
{
    static readonly (string Core, string V1)[] Renames =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("reportingComponent", "reportingController"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
    ];

    public static JsonObject ToCore(JsonObject v1) => Rename(v1, r => (r.V1, r.Core));

    public static JsonObject ToEventsV1(JsonObject core) => Rename(core, r => (r.Core, r.V1));

    static JsonObject Rename(JsonObject src, Func<(string Core, string V1), (string From, string To)> dir)
    {
        var map = Renames.Select(dir).ToDictionary(p => p.From, p => p.To);
        var result = new JsonObject();
        foreach (var (k, v) in src)
        {
            result[map.GetValueOrDefault(k, k)] = v?.DeepClone();
        }
        return result;
    }
}
