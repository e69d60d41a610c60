using System.Globalization;
using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>
/// Server-side printing of core/v1 Events as kubernetes/pkg/printers/internalversion/printers.go (v1.32) prints them
/// (eventColumnDefinitions, printEvent with the Wide cells the apiserver always generates): Last Seen, Type, Reason,
/// Object, Message, and at priority 1 Subobject, Source, First Seen, Count, Name.
/// </summary>
public static class EventTables
{
    static Column C(string name, Func<JsonObject, DateTimeOffset, JsonNode?> cell, int priority = 0, string type = "string", string format = "") =>
        new(name, type, format, name, priority, cell);

    public static IReadOnlyList<Column> Columns { get; } =
    [
        C("Last Seen", (o, now) => LastSeen(o, now)),
        C("Type", (o, _) => Text(o["type"])),
        C("Reason", (o, _) => Text(o["reason"])),
        C("Object", (o, _) => Target(o)),
        C("Subobject", (o, _) => Text(o["involvedObject"]?["fieldPath"]), 1),
        C("Source", (o, _) => Source(o), 1),
        C("Message", (o, _) => Text(o["message"]).Trim()),
        C("First Seen", (o, now) => FirstSeen(o, now), 1),
        C("Count", (o, _) => Count(o), 1, "integer"),
        C("Name", (o, _) => Text(o["metadata"]?["name"]), 1, "string", "name"),
    ];

    static string Text(JsonNode? n) => n is JsonValue v ? v.ToString() : "";

    // firstTimestamp, else eventTime (events.k8s.io events carry only eventTime).
    static string FirstSeen(JsonObject e, DateTimeOffset now) => Since(Text(e["firstTimestamp"]) is { Length: > 0 } t ? t : Text(e["eventTime"]), now);

    // series.lastObservedTime, else lastTimestamp, else the first time.
    static string LastSeen(JsonObject e, DateTimeOffset now)
    {
        if (e["series"] is JsonObject series)
        {
            return Since(Text(series["lastObservedTime"]), now);
        }
        return Text(e["lastTimestamp"]) is { Length: > 0 } last ? Since(last, now) : FirstSeen(e, now);
    }

    // Singleton events of the new API have no count: printed as 1.
    static long Count(JsonObject e)
    {
        if (e["series"] is JsonObject series)
        {
            return Semantics.Meta.Long(series["count"]) ?? 0;
        }
        var count = Semantics.Meta.Long(e["count"]) ?? 0;
        return count == 0 ? 1 : count;
    }

    static string Target(JsonObject e)
    {
        var kind = Text(e["involvedObject"]?["kind"]).ToLowerInvariant();
        var name = Text(e["involvedObject"]?["name"]);
        return name.Length > 0 ? $"{kind}/{name}" : kind;
    }

    // formatEventSource: source.component or reportingComponent, then ", " and source.host or reportingInstance.
    static string Source(JsonObject e)
    {
        var component = Text(e["source"]?["component"]) is { Length: > 0 } c ? c : Text(e["reportingComponent"]);
        var instance = Text(e["source"]?["host"]) is { Length: > 0 } h ? h : Text(e["reportingInstance"]);
        return instance.Length == 0 ? component : $"{component}, {instance}";
    }

    static string Since(string timestamp, DateTimeOffset now) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? HumanDuration.Format(now - t)
            : "<unknown>";
}
