using System.Globalization;
using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>One Table column: its definition and how to compute its cell from an object.</summary>
public sealed record Column(string Name, string Type, string Format, string Description, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell);

/// <summary>Server-side printing: `Accept: application/json;as=Table;g=meta.k8s.io;v=v1` (doc §4).</summary>
public static class Tables
{
    static readonly Column NameColumn = new("Name", "string", "name",
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        0, (o, _) => Str(o["metadata"]?["name"]));

    static readonly Column AgeColumn = new("Age", "date", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        0, (o, now) => Age(o["metadata"]?["creationTimestamp"], now));

    static JsonValue? Str(JsonNode? n) => n is JsonValue v ? JsonValue.Create(v.ToString()) : null;

    static JsonValue? Age(JsonNode? timestamp, DateTimeOffset now) =>
        timestamp is JsonValue v && DateTimeOffset.TryParse(v.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? JsonValue.Create(HumanDuration.Format(now - t))
            : JsonValue.Create("<unknown>");

    static Column Simple(string name, string type, int priority, Func<JsonObject, JsonNode?> cell) =>
        new(name, type, "", name, priority, (o, _) => cell(o));

    public static IReadOnlyList<Column> ColumnsFor(ResourceType t)
    {
        if (t.IsCustom)
        {
            return CustomColumns(t);
        }
        if (StorageTables.ColumnsFor(t.Kind, NameColumn, AgeColumn) is { } storage)
        {
            return storage;
        }
        return t.Kind switch
        {
            "Pod" => [NameColumn,
                Simple("Ready", "string", 0, o => $"{ReadyCount(o)}/{(o["spec"]?["containers"] as JsonArray)?.Count ?? 0}"),
                Simple("Status", "string", 0, o => (JsonNode?)Str(o["status"]?["phase"]) ?? "Unknown"),
                Simple("Restarts", "string", 0, o => Restarts(o).ToString(CultureInfo.InvariantCulture)),
                AgeColumn,
                Simple("IP", "string", 1, o => (JsonNode?)Str(o["status"]?["podIP"]) ?? "<none>"),
                Simple("Node", "string", 1, o => (JsonNode?)Str(o["spec"]?["nodeName"]) ?? "<none>")],
            "StatefulSet" => [NameColumn,
                Simple("Ready", "string", 0, o => $"{Int(o["status"]?["readyReplicas"])}/{Int(o["spec"]?["replicas"])}"),
                AgeColumn,
                Simple("Containers", "string", 1, o => Join(o["spec"]?["template"]?["spec"]?["containers"], "name")),
                Simple("Images", "string", 1, o => Join(o["spec"]?["template"]?["spec"]?["containers"], "image"))],
            "Service" => [NameColumn,
                Simple("Type", "string", 0, o => Str(o["spec"]?["type"])),
                Simple("Cluster-IP", "string", 0, o => Str(o["spec"]?["clusterIP"])),
                Simple("External-IP", "string", 0, _ => "<none>"),
                Simple("Port(s)", "string", 0, ServicePorts),
                AgeColumn,
                Simple("Selector", "string", 1, o => o["spec"]?["selector"] is JsonObject s ? string.Join(",", s.Select(p => $"{p.Key}={p.Value}")) : "<none>")],
            "ConfigMap" => [NameColumn, Simple("Data", "integer", 0, o => Count(o["data"]) + Count(o["binaryData"])), AgeColumn],
            "Secret" => [NameColumn, Simple("Type", "string", 0, o => Str(o["type"])), Simple("Data", "integer", 0, o => Count(o["data"])), AgeColumn],
            "Namespace" => [NameColumn, Simple("Status", "string", 0, o => Str(o["status"]?["phase"])), AgeColumn],
            "Event" when t.Group.Length == 0 => EventTables.Columns,
            _ => [NameColumn, AgeColumn],
        };
    }

    static long Int(JsonNode? n) => Semantics.Meta.Long(n) ?? 0;

    static int Count(JsonNode? n) => n is JsonObject o ? o.Count : 0;

    static int ReadyCount(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? []).Count(c => Semantics.Meta.Bool(c?["ready"]) == true);

    static long Restarts(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? []).Sum(c => Int(c?["restartCount"]));

    static string Join(JsonNode? list, string key) =>
        string.Join(",", (list as JsonArray ?? []).Select(c => c?[key]?.ToString() ?? ""));

    static JsonNode? ServicePorts(JsonObject svc)
    {
        var ports = (svc["spec"]?["ports"] as JsonArray ?? []).Select(p => $"{p?["port"]}/{p?["protocol"] ?? "TCP"}").ToList();
        return ports.Count == 0 ? "<none>" : string.Join(",", ports);
    }

    static List<Column> CustomColumns(ResourceType t)
    {
        var columns = new List<Column> { NameColumn };
        if (t.PrinterColumns is not { Count: > 0 } printer)
        {
            columns.Add(AgeColumn);
            return columns;
        }
        foreach (var c in printer.OfType<JsonObject>())
        {
            var type = Str(c["type"])?.ToString() ?? "string";
            var path = Str(c["jsonPath"])?.ToString() ?? "";
            columns.Add(new Column(Str(c["name"])?.ToString() ?? "", type, Str(c["format"])?.ToString() ?? "",
                Str(c["description"])?.ToString() ?? "", (int)(Semantics.Meta.Long(c["priority"]) ?? 0),
                (o, now) => CustomCell(o, path, type, now)));
        }
        return columns;
    }

    static JsonNode? CustomCell(JsonObject obj, string path, string type, DateTimeOffset now)
    {
        var values = SimpleJsonPath.Evaluate(obj, path);
        if (values.Count == 0 || values[0] is null)
        {
            return null;
        }
        var v = values[0]!;
        return type switch
        {
            "date" => Age(v, now),
            "integer" or "number" or "boolean" => v.DeepClone(),
            _ => JsonValue.Create(values.Count == 1 && v is JsonValue ? v.ToString() : string.Join(",", values.Select(x => x?.ToString()))),
        };
    }

    public static JsonObject Build(ResourceType t, IEnumerable<JsonObject> objects, string? resourceVersion, bool includeColumns,
        string includeObject, DateTimeOffset now)
    {
        var columns = ColumnsFor(t);
        var rows = new JsonArray();
        foreach (var o in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray([.. columns.Select(c => c.Cell(o, now))]) };
            if (includeObject == "Object")
            {
                row["object"] = o.DeepClone();
            }
            else if (includeObject != "None")
            {
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = o["metadata"]?.DeepClone(),
                };
            }
            rows.Add(row);
        }
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = resourceVersion is null ? new JsonObject() : new JsonObject { ["resourceVersion"] = resourceVersion },
        };
        table["columnDefinitions"] = includeColumns
            ? new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            })])
            : null;
        table["rows"] = rows;
        return table;
    }
}
