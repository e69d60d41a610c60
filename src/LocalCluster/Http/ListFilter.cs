using System.Text.Json.Nodes;
using HipaaMongo.ApiMachinery;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Semantics;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>Namespace, labelSelector and fieldSelector of a list or watch (doc §9).</summary>
public sealed class ListFilter
{
    readonly string? ns;
    readonly LabelSelector labels;
    readonly FieldSelector fields;

    ListFilter(string? ns, LabelSelector labels, FieldSelector fields)
    {
        this.ns = ns;
        this.labels = labels;
        this.fields = fields;
    }

    static readonly string[] EventFields =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type",
    ];

    static readonly string[] EventsV1Fields =
    [
        "regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
        "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath",
        "reason", "reportingController", "type",
    ];

    /// <summary>Parses the selectors; bad ones are 400 BadRequest with the parser's message.</summary>
    public static ListFilter Parse(ResourceType type, string? ns, string? labelSelector, string? fieldSelector)
    {
        try
        {
            var fs = FieldSelector.Parse(fieldSelector);
            string[] supported = type.Kind == "Event"
                ? [.. (type.Group == "" ? EventFields : EventsV1Fields), "metadata.name", "metadata.namespace"]
                : type.Kind switch
                {
                    "Pod" => ["metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName"],
                    "Secret" => ["metadata.name", "metadata.namespace", "type"],
                    "Namespace" => ["metadata.name", "status.phase"],
                    _ => ["metadata.name", "metadata.namespace"],
                };
            fs.EnsureSupported(supported);
            return new ListFilter(ns, LabelSelector.Parse(labelSelector), fs);
        }
        catch (SelectorException e)
        {
            throw StatusException.BadRequest(e.Message);
        }
    }

    /// <summary>True when a label or field selector narrows the list (then remainingItemCount is not reported).</summary>
    public bool HasSelectors => !labels.IsEverything || !fields.IsEverything;

    /// <summary>Matches the stored (core-form) object.</summary>
    public bool Matches(JsonObject stored)
    {
        if (ns is not null && Meta.Namespace(stored) != ns)
        {
            return false;
        }
        if (!labels.IsEverything && !labels.Matches(Meta.Labels(stored)))
        {
            return false;
        }
        return fields.IsEverything || fields.Matches(f => FieldValue(stored, f));
    }

    static string? FieldValue(JsonObject obj, string field)
    {
        if (field.StartsWith("regarding.", StringComparison.Ordinal))
        {
            field = "involvedObject." + field["regarding.".Length..];
        }
        if (field == "reportingController")
        {
            field = "reportingComponent";
        }
        if (field == "source")
        {
            return Meta.Str(obj["source"]?["component"]);
        }
        JsonNode? node = obj;
        foreach (var part in field.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return node is JsonValue v ? v.ToString() : null;
    }
}
