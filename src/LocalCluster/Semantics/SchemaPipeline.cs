using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using HipaaMongo.ApiMachinery;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>
/// The custom-resource write pipeline (doc §13) over ApiMachinery's StructuralSchema: prune unknown fields
/// (Strict → 400, Warn → Warning header), apply defaults, validate (422 with one cause per error).
/// apiVersion, kind and metadata are outside the schema pass, as in kube-apiserver.
/// </summary>
static class SchemaPipeline
{
    static readonly string[] Envelope = ["apiVersion", "kind", "metadata"];
    static readonly ConditionalWeakTable<JsonObject, StructuralSchema> Schemas = new();

    /// <summary>The compiled schema of a served version, built once (CEL programs are cached inside).</summary>
    public static StructuralSchema For(ResourceType type) =>
        Schemas.GetValue(type.Schema!, StructuralSchema.FromOpenApi);

    public static void Run(ResourceType type, JsonObject obj, JsonObject? old, WriteOptions options)
    {
        var schema = For(type);
        var name = Meta.Name(obj) ?? "";
        var saved = Envelope.Where(k => obj.ContainsKey(k)).Select(k => (Key: k, Value: obj[k])).ToList();
        foreach (var (k, _) in saved)
        {
            obj.Remove(k);
        }
        try
        {
            Process(type, name, schema, obj, old, saved.FirstOrDefault(e => e.Key == "metadata").Value, options);
        }
        finally
        {
            obj.Remove("metadata");
            foreach (var (k, v) in saved)
            {
                obj[k] = v;
            }
        }
    }

    static JsonObject CelMetadata(JsonNode? metadata)
    {
        var cel = new JsonObject();
        foreach (var key in (string[])["name", "generateName"])
        {
            if (metadata?[key] is JsonNode value)
            {
                cel[key] = value.DeepClone();
            }
        }
        return cel;
    }

    static void Process(ResourceType type, string name, StructuralSchema schema, JsonObject body, JsonObject? old, JsonNode? metadata, WriteOptions options)
    {
        var unknown = schema.Prune(body);
        if (unknown.Count > 0 && options.FieldValidation == "Strict")
        {
            var list = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
            throw StatusException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {list}");
        }
        if (options.FieldValidation == "Warn")
        {
            options.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
        }
        schema.ApplyDefaults(body);
        JsonObject? oldBody = null;
        if (old is not null)
        {
            oldBody = old.DeepClone().AsObject();
            foreach (var k in Envelope)
            {
                oldBody.Remove(k);
            }
            oldBody["metadata"] = CelMetadata(old["metadata"]);
        }
        // Root CEL rules see metadata.name and metadata.generateName, as in kube-apiserver; the envelope is
        // put back whole by the caller afterwards.
        body["metadata"] = CelMetadata(metadata);
        var result = schema.Validate(body, oldBody);
        // A rule the engine could not evaluate is reported, never silently counted as passed.
        options.Warnings.AddRange(result.NotEvaluated.Select(r => $"{r.Field}: x-kubernetes-validations rule not evaluated: {r.Rule}: {r.Reason}"));
        if (!result.IsValid)
        {
            throw StatusException.Invalid(type, name, [.. result.Errors.Select(e => new Api.FieldError(e.Field, e.Reason, e.Message))]);
        }
    }
}
