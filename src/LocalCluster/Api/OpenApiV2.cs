using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>
/// `/openapi/v2` as JSON (Swagger 2.0, what kube-apiserver serves for `Accept: application/json`): a PATCH path per
/// kind tagged with its GVK, and `definitions` for built-in kinds (from the models) and CRD kinds (from their
/// schemas). The protobuf form kubectl asks for is not served (406); kubectl uses `/openapi/v3`.
/// </summary>
public static class OpenApiV2
{
    const string Refs = "#/definitions/";

    static readonly Lazy<(JsonObject Paths, JsonObject Definitions)> Builtins = new(() => Build(BuiltinTypes.All));

    public static JsonObject Document(IReadOnlyList<ResourceType> types)
    {
        var (builtinPaths, builtinDefinitions) = Builtins.Value;
        var (crdPaths, crdDefinitions) = Build(types.Where(t => t.IsCustom));
        var paths = (JsonObject)builtinPaths.DeepClone();
        var definitions = (JsonObject)builtinDefinitions.DeepClone();
        foreach (var (k, v) in crdPaths)
        {
            paths[k] = v?.DeepClone();
        }
        foreach (var (k, v) in crdDefinitions)
        {
            definitions[k] ??= v?.DeepClone();
        }
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["definitions"] = definitions,
        };
    }

    static (JsonObject Paths, JsonObject Definitions) Build(IEnumerable<ResourceType> types)
    {
        var paths = new JsonObject();
        var definitions = new JsonObject();
        var models = new ModelSchemas(Refs);
        foreach (var t in types)
        {
            var prefix = "/" + OpenApi.PathFor(t.Group, t.Version) + (t.Namespaced ? "/namespaces/{namespace}" : "");
            paths[$"{prefix}/{t.Plural}/{{name}}"] = new JsonObject { ["patch"] = Patch(t) };
            if (t.Schema is { } schema)
            {
                definitions[OpenApi.SchemaName(t)] = OpenApi.KindSchema(t, schema, Refs);
                definitions[OpenApi.ObjectMetaRef] ??= OpenApi.ObjectMeta();
            }
            else if (OpenApi.ModelFor(t) is { } model)
            {
                models.AddKind(t, model);
            }
        }
        foreach (var (name, schema) in models.Definitions.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            definitions[name] = schema;
        }
        return (paths, definitions);
    }

    static JsonObject Patch(ResourceType t) => new()
    {
        ["description"] = $"partially update the specified {t.Kind}",
        ["consumes"] = new JsonArray("application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"),
        ["produces"] = new JsonArray("application/json", "application/yaml"),
        ["operationId"] = $"patch{t.Kind}",
        ["x-kubernetes-action"] = "patch",
        ["x-kubernetes-group-version-kind"] = OpenApi.Gvk(t),
        ["parameters"] = new JsonArray(Query("dryRun", "string"), Query("fieldManager", "string"), Query("fieldValidation", "string"),
            Query("force", "boolean")),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
    };

    static JsonObject Query(string name, string type) =>
        new() { ["uniqueItems"] = true, ["type"] = type, ["name"] = name, ["in"] = "query" };
}
