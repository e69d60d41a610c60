using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>An error that becomes a metav1.Status reply (doc §15, apimachinery api/errors/errors.go).</summary>
public sealed class StatusException : Exception
{
    public StatusException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public StatusException() : this(500, "InternalError", "Internal error occurred") { }

    public StatusException(string message) : this(500, "InternalError", message) { }

    public StatusException(string message, Exception inner) : base(message, inner)
    {
        Code = 500;
        Reason = "InternalError";
    }

    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }

    /// <summary>The Status's ListMeta (410 Expired for a compacted continue token carries a fresh token here).</summary>
    public JsonObject? ListMeta { get; init; }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = ListMeta?.DeepClone() ?? new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }
        status["code"] = Code;
        return status;
    }

    static JsonObject NameDetails(ResourceType type, string name) => new()
    {
        ["name"] = name,
        ["group"] = type.Group,
        ["kind"] = type.Plural,
    };

    public static StatusException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", NameDetails(type, name));

    public static StatusException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static StatusException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", NameDetails(type, name));

    public static StatusException Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            NameDetails(type, name));

    public static StatusException BadRequest(string message) => new(400, "BadRequest", message);

    public static StatusException ResourceNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static StatusException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static StatusException UnsupportedMediaType(string contentType, string accepted) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {accepted}", new JsonObject())
        { };

    /// <summary>422 Invalid with one cause per field error: `Kind.group "name" is invalid: field: detail`.</summary>
    public static StatusException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Message, ["field"] = e.Field });
        }
        var texts = errors.Select(e => $"{e.Field}: {e.Message}").ToList();
        var joined = texts.Count == 1 ? texts[0] : "[" + string.Join(", ", texts) + "]";
        var details = new JsonObject
        {
            ["name"] = name,
            ["group"] = type.Group,
            ["kind"] = type.Kind,
            ["causes"] = causes,
        };
        return new StatusException(422, "Invalid", $"{type.QualifiedKind} \"{name}\" is invalid: {joined}", details);
    }
}

/// <summary>One field error; Message is the part after "field: " (e.g. "Invalid value: 0: must be ...").</summary>
public sealed record FieldError(string Field, string Reason, string Message);
