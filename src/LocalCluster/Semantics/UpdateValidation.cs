using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>Immutable fields of the kinds the simulations write (pkg/apis/*/validation Validate*Update).</summary>
public static class UpdateValidation
{
    /// <summary>
    /// ValidateControllerRevisionUpdate: `data` is immutable (a controller writes a new revision instead). Go prints
    /// the old value with %#v; this prints it as JSON.
    /// </summary>
    public static void Check(ResourceType type, JsonObject obj, JsonObject old)
    {
        if (type.Kind == "ControllerRevision" && type.Group == "apps" && !JsonNode.DeepEquals(obj["data"], old["data"]))
        {
            var value = obj["data"]?.ToJsonString() ?? "null";
            throw StatusException.Invalid(type, Meta.Name(obj)!, [new FieldError("data", "FieldValueInvalid", $"Invalid value: {value}: field is immutable")]);
        }
    }
}
