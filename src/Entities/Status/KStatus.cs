using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HipaaMongo.Entities.Status;

/// <summary>The statuses kstatus assigns (sigs.k8s.io/cli-utils pkg/kstatus/status/status.go).</summary>
public enum ReconcileStatus
{
    InProgress,
    Failed,
    Current,
    Terminating,
    NotFound,
    Unknown,
}

/// <summary>What kstatus concluded and why, in the words Flux prints.</summary>
public sealed record KStatusResult(ReconcileStatus Status, string Message);

/// <summary>
/// A pure port of kstatus <c>status.Compute</c> for a custom resource (no built-in type rules), so the project can
/// test what Flux (<c>.spec.wait</c> / <c>healthChecks</c>) will conclude from the status the operator writes.
/// Source: fluxcd/cli-utils pkg/kstatus/status/generic.go (checkGenericProperties, checkGeneration) and status.go
/// (Compute, checkReadyCondition); upstream kubernetes-sigs/cli-utils lacks only the Ready fallback.
/// Order, as there: deletionTimestamp, generation, first Reconciling/Stalled=True, first Ready condition, Current.
/// </summary>
public static class KStatus
{
    /// <summary>Computes the status; <c>null</c> (the object is absent) is NotFound, a malformed object Unknown.</summary>
    public static KStatusResult Compute(JsonObject? resource)
    {
        if (resource is null) return new(ReconcileStatus.NotFound, "Resource not found");
        try
        {
            return Terminating(resource)
                ?? Generation(resource)
                ?? ReconcilingOrStalled(resource)
                ?? Ready(resource)
                ?? new(ReconcileStatus.Current, "Resource is current");
        }
        catch (FormatException e)
        {
            // kstatus returns an error here; the status poller reports Unknown with the error.
            return new(ReconcileStatus.Unknown, e.Message);
        }
    }

    private static KStatusResult? Terminating(JsonObject resource)
    {
        var stamp = StringAt(resource, "metadata", "deletionTimestamp");
        return string.IsNullOrEmpty(stamp) ? null : new(ReconcileStatus.Terminating, "Resource scheduled for deletion");
    }

    // checkGeneration: skipped unless both fields are present.
    private static KStatusResult? Generation(JsonObject resource)
    {
        var generation = IntAt(resource, "metadata", "generation");
        var observed = IntAt(resource, "status", "observedGeneration");
        if (generation is null || observed is null || generation == observed) return null;
        var kind = StringAt(resource, "kind") ?? "";
        return new(ReconcileStatus.InProgress,
            $"{kind} generation is {generation}, but latest observed generation is {observed}");
    }

    // Abnormal-true conditions: the first True one in list order decides; False values are ignored.
    private static KStatusResult? ReconcilingOrStalled(JsonObject resource)
    {
        foreach (var c in Conditions(resource))
        {
            if (c.Status != "True") continue;
            if (c.Type == ConditionTypes.Reconciling) return new(ReconcileStatus.InProgress, c.Message);
            if (c.Type == ConditionTypes.Stalled) return new(ReconcileStatus.Failed, c.Message);
        }

        return null;
    }

    // checkReadyCondition: Ready=True is Current; False or Unknown is InProgress (never Failed).
    private static KStatusResult? Ready(JsonObject resource)
    {
        foreach (var c in Conditions(resource))
        {
            if (c.Type != ConditionTypes.Ready) continue;
            switch (c.Status)
            {
                case "True": return new(ReconcileStatus.Current, "Resource is Ready");
                case "False" or "Unknown": return new(ReconcileStatus.InProgress, c.Message);
            }
        }

        return null;
    }

    private sealed record Condition(string Type, string Status, string Message);

    private static List<Condition> Conditions(JsonObject resource)
    {
        var status = resource["status"];
        if (status is null) return [];
        if (status is not JsonObject statusObject) throw new FormatException("status is not an object");
        return statusObject["conditions"] switch
        {
            null => [],
            JsonArray list => [.. list.Select(ToCondition)],
            _ => throw new FormatException("status.conditions is not a list"),
        };
    }

    private static Condition ToCondition(JsonNode? node) => node is JsonObject c
        ? new(Text(c, "type"), Text(c, "status"), Text(c, "message"))
        : throw new FormatException("a status condition is not an object");

    private static string Text(JsonObject c, string field) => c[field] switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new FormatException($"condition field {field} is not a string"),
    };

    private static JsonNode? At(JsonObject resource, params string[] path)
    {
        JsonNode? node = resource;
        foreach (var key in path)
        {
            if (node is null) return null;
            node = node is JsonObject o ? o[key] : throw new FormatException($"{key}'s parent is not an object");
        }

        return node;
    }

    private static string? StringAt(JsonObject resource, params string[] path) => At(resource, path) switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new FormatException($"{string.Join('.', path)} is not a string"),
    };

    // unstructured.NestedInt64 accepts only integers; anything else is an error.
    private static long? IntAt(JsonObject resource, params string[] path)
    {
        var node = At(resource, path);
        if (node is null) return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            return n;
        throw new FormatException($"{string.Join('.', path)} is not an integer");
    }
}
