using System.Text.Json;
using System.Text.Json.Nodes;
using HipaaMongo.Entities.Validation;
using k8s;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HipaaMongo.Entities.Serialization;

/// <summary>The outcome of parsing: a resource, or the errors (each with its field path).</summary>
public sealed record HipaaMongoParseResult(HipaaMongoResource? Resource, IReadOnlyList<ValidationError> Errors)
{
    public bool Success => Resource is not null && Errors.Count == 0;
}

/// <summary>Reads and writes HipaaMongo manifests. Strict: unknown spec fields are errors, never ignored.</summary>
public static class HipaaMongoYaml
{
    private const int MaxInputChars = 1 << 20;
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata", "spec", "status"];

    /// <summary>Parses one HipaaMongo manifest (shape only; see <see cref="ParseAndValidate"/> for the rules).</summary>
    public static HipaaMongoParseResult Parse(string yaml) => Load(yaml).Result;

    /// <summary>
    /// Parses, then applies <see cref="HipaaMongoValidator"/> (as a create: no previous spec). When the only
    /// shape problems are missing required fields, the rules still run on the rest, so one run names every
    /// problem; rule errors at or under a missing field are left out (they would restate it).
    /// </summary>
    public static HipaaMongoParseResult ParseAndValidate(string yaml)
    {
        var (root, parsed) = Load(yaml);
        if (parsed.Success)
        {
            var errors = HipaaMongoValidator.Validate(parsed.Resource!, null);
            return errors.Count == 0 ? parsed : parsed with { Errors = errors };
        }
        return root is not null && parsed.Errors.All(IsMissingField) ? WithRuleErrors(root, parsed) : parsed;
    }

    private static (JsonObject? Root, HipaaMongoParseResult Result) Load(string yaml)
    {
        if (yaml is null || yaml.Length > MaxInputChars)
            return (null, Fail("", "the manifest must be present and at most 1 MiB"));
        try
        {
            var root = LoadSingleDocument(yaml);
            return (root, FromJson(root));
        }
        catch (Exception e) when (e is YamlException or YamlLimitException or ArgumentException)
        {
            return (null, Fail("", "invalid YAML: " + e.Message));
        }
    }

    private static HipaaMongoParseResult WithRuleErrors(JsonObject root, HipaaMongoParseResult parsed)
    {
        var lenient = Deserialize(root);
        if (lenient is null) return parsed;
        var missing = parsed.Errors.Select(e => e.FieldPath).ToList();
        var rules = HipaaMongoValidator.Validate(lenient, null)
            .Where(e => !missing.Any(m => e.FieldPath == m || e.FieldPath.StartsWith(m + ".", StringComparison.Ordinal)
                || e.FieldPath.StartsWith(m + "[", StringComparison.Ordinal)));
        return parsed with { Errors = [.. parsed.Errors, .. rules] };
    }

    private static bool IsMissingField(ValidationError e) => e.Message == StrictShapeChecker.MissingFieldMessage;

    /// <summary>Parses an already-decoded JSON object (e.g. from the API server) with the same strictness.</summary>
    public static HipaaMongoParseResult FromJson(JsonObject root)
    {
        var errors = new List<ValidationError>();
        CheckHeader(root, errors);
        if (root["spec"] is null) errors.Add(new ValidationError("spec", "spec is required"));
        StrictShapeChecker.Check(root["spec"], typeof(HipaaMongoSpec), "spec", errors);
        if (errors.Count > 0) return new HipaaMongoParseResult(null, errors);
        try
        {
            return new HipaaMongoParseResult(Deserialize(root, throwOnError: true), []);
        }
        catch (JsonException e)
        {
            return Fail(JsonPathToFieldPath(e.Path), "cannot be read: " + FirstSentence(e.Message));
        }
    }

    // Like the API server: an explicit null is an absent field, so the schema default applies.
    private static HipaaMongoResource? Deserialize(JsonObject root, bool throwOnError = false)
    {
        try
        {
            var spec = root["spec"] is JsonObject s ? (JsonObject)s.DeepClone() : [];
            DropNulls(spec);
            var copy = (JsonObject)root.DeepClone();
            copy["spec"] = spec;
            return KubernetesJson.Deserialize<HipaaMongoResource>(copy.ToJsonString());
        }
        catch (JsonException) when (!throwOnError)
        {
            return null;
        }
    }

    /// <summary>Writes the resource as YAML (null fields omitted).</summary>
    public static string Serialize(HipaaMongoResource resource) => KubernetesYaml.Serialize(resource);

    private static JsonObject LoadSingleDocument(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var documents = stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).ToList();
        if (documents.Count != 1)
            throw new YamlLimitException($"expected exactly one YAML document, found {documents.Count}");
        return YamlToJson.Convert(documents[0].RootNode) as JsonObject
            ?? throw new YamlLimitException("the document must be a mapping (apiVersion, kind, metadata, spec)");
    }

    private static void CheckHeader(JsonObject root, List<ValidationError> errors)
    {
        if (root["apiVersion"]?.GetValueKind() != JsonValueKind.String || (string?)root["apiVersion"] != ApiGroup.ApiVersion)
            errors.Add(new ValidationError("apiVersion", $"apiVersion must be {ApiGroup.ApiVersion}"));
        if (root["kind"]?.GetValueKind() != JsonValueKind.String || (string?)root["kind"] != ApiGroup.Kind)
            errors.Add(new ValidationError("kind", $"kind must be {ApiGroup.Kind}"));
        if (root["metadata"] is not null and not JsonObject)
            errors.Add(new ValidationError("metadata", "must be an object"));
        foreach (var (name, _) in root)
            if (!RootFields.Contains(name, StringComparer.Ordinal))
                errors.Add(new ValidationError(name, $"unknown field \"{name}\""));
    }

    private static void DropNulls(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in obj.Where(p => p.Value is null).Select(p => p.Key).ToList()) obj.Remove(name);
            foreach (var (_, value) in obj) DropNulls(value);
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array) DropNulls(item);
        }
    }

    private static string JsonPathToFieldPath(string? path) =>
        string.IsNullOrEmpty(path) ? "" : path.TrimStart('$').TrimStart('.');

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    private static HipaaMongoParseResult Fail(string path, string message) =>
        new(null, [new ValidationError(path, message)]);
}
