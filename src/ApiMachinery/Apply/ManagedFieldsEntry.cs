using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>One <c>metadata.managedFields[]</c> entry with its field set decoded.</summary>
internal sealed class ManagedFieldsEntry
{
    internal required string Manager { get; init; }

    internal required string Operation { get; init; }

    internal string? ApiVersion { get; set; }

    internal string? Time { get; set; }

    internal string? Subresource { get; init; }

    internal HashSet<string> Fields { get; set; } = new(StringComparer.Ordinal);

    internal ManagerIdentity Identity => new(Manager, Operation, ApiVersion, Time, Subresource);

    internal bool Is(string manager, string operation, string? subresource) =>
        Manager == manager && Operation == operation && (Subresource ?? "") == (subresource ?? "");

    internal static List<ManagedFieldsEntry> Read(JsonObject? obj)
    {
        var list = obj?["metadata"]?["managedFields"] as JsonArray ?? [];
        return list.OfType<JsonObject>().Select(e => new ManagedFieldsEntry
        {
            Manager = Json.AsString(e["manager"]) ?? "",
            Operation = Json.AsString(e["operation"]) ?? "Update",
            ApiVersion = Json.AsString(e["apiVersion"]),
            Time = Json.AsString(e["time"]),
            Subresource = Json.AsString(e["subresource"]),
            Fields = FieldSetCodec.Decode(e["fieldsV1"]),
        }).ToList();
    }

    /// <summary>Writes the entries (empty ones dropped) into obj.metadata.managedFields; no entries removes the field.</summary>
    internal static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }

        var array = new JsonArray(entries.Where(e => e.Fields.Count > 0).Select(e => (JsonNode)e.ToJson()).ToArray());
        if (array.Count == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = array;
        }
    }

    private JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
        };
        if (ApiVersion is not null)
        {
            json["apiVersion"] = ApiVersion;
        }

        if (Time is not null)
        {
            json["time"] = Time;
        }

        json["fieldsType"] = "FieldsV1";
        json["fieldsV1"] = FieldSetCodec.Encode(Fields);
        if (!string.IsNullOrEmpty(Subresource))
        {
            json["subresource"] = Subresource;
        }

        return json;
    }
}
