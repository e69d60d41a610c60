using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>
/// OpenAPI v3 documents (doc §3): per group-version, a PATCH operation per kind tagged with its GVK and a
/// fieldValidation parameter (so kubectl sends fieldValidation=Strict), and component schemas from CRDs for
/// `kubectl explain`. Built-in kinds get component schemas reflected from KubernetesClient's models
/// (<see cref="ModelSchemas"/>), so `kubectl explain pod.spec.containers` works too; their documents are cached.
/// </summary>
public static class OpenApi
{
    internal const string ObjectMetaRef = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    const string V3Refs = "#/components/schemas/";

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (JsonObject Doc, string Hash)> BuiltinDocs = new();

    public static string PathFor(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    public static JsonObject Root(IReadOnlyList<ResourceType> types)
    {
        var paths = new JsonObject();
        foreach (var gv in types.GroupBy(t => (t.Group, t.Version)))
        {
            var (_, hash) = DocumentAndHash(types, gv.Key.Group, gv.Key.Version);
            paths[PathFor(gv.Key.Group, gv.Key.Version)] = new JsonObject
            {
                ["serverRelativeURL"] = $"/openapi/v3/{PathFor(gv.Key.Group, gv.Key.Version)}?hash={hash}",
            };
        }
        return new JsonObject { ["paths"] = paths };
    }

    static string Hash(JsonObject doc) =>
        Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(doc.ToJsonString())));

    public static string SchemaName(ResourceType t)
    {
        var reversed = string.Join('.', (t.Group.Length == 0 ? "core" : t.Group).Split('.').Reverse());
        return $"{reversed}.{t.Version}.{t.Kind}";
    }

    /// <summary>A group-version's document and its hash; built-in-only ones never change and are built once.</summary>
    static (JsonObject Doc, string Hash) DocumentAndHash(IReadOnlyList<ResourceType> types, string group, string version)
    {
        var matching = types.Where(t => t.Group == group && t.Version == version).ToList();
        if (matching.Any(t => t.IsCustom))
        {
            var doc = Build(matching, group, version);
            return (doc, Hash(doc));
        }
        return BuiltinDocs.GetOrAdd($"{group}/{version}", _ =>
        {
            var doc = Build(matching, group, version);
            return (doc, Hash(doc));
        });
    }

    public static JsonObject? Document(IReadOnlyList<ResourceType> types, string group, string version) =>
        types.Any(t => t.Group == group && t.Version == version) ? DocumentAndHash(types, group, version).Doc : null;

    /// <summary>The events.k8s.io shape is served from the core store, so its schema comes from its own model.</summary>
    public static Type? ModelFor(ResourceType t) => t.Group == "events.k8s.io" ? typeof(k8s.Models.Eventsv1Event) : t.ModelType;

    static JsonObject Build(List<ResourceType> matching, string group, string version)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        var models = new ModelSchemas(V3Refs);
        foreach (var t in matching)
        {
            var prefix = "/" + PathFor(group, version) + (t.Namespaced ? "/namespaces/{namespace}" : "");
            paths[$"{prefix}/{t.Plural}/{{name}}"] = new JsonObject { ["patch"] = PatchOperation(t) };
            if (t.Schema is { } schema)
            {
                schemas[SchemaName(t)] = KindSchema(t, schema);
            }
            else if (ModelFor(t) is { } model)
            {
                models.AddKind(t, model);
            }
        }
        foreach (var (name, schema) in models.Definitions.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            schemas[name] = schema;
        }
        if (schemas.Count > 0 && !schemas.ContainsKey(ObjectMetaRef))
        {
            schemas[ObjectMetaRef] = ObjectMeta();
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    internal static JsonObject Gvk(ResourceType t) => new() { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };

    static JsonObject PatchOperation(ResourceType t) => new()
    {
        ["description"] = $"partially update the specified {t.Kind}",
        ["operationId"] = $"patch{t.Kind}",
        ["x-kubernetes-action"] = "patch",
        ["x-kubernetes-group-version-kind"] = Gvk(t),
        ["parameters"] = new JsonArray(
            Query("dryRun"), Query("fieldManager"), Query("fieldValidation"), new JsonObject
            {
                ["name"] = "force",
                ["in"] = "query",
                ["schema"] = new JsonObject { ["type"] = "boolean", ["uniqueItems"] = true },
            }),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
    };

    static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    internal static JsonObject KindSchema(ResourceType t, JsonObject crdSchema, string refPrefix = V3Refs)
    {
        var s = crdSchema.DeepClone().AsObject();
        s["type"] ??= "object";
        var props = s["properties"] as JsonObject ?? [];
        s["properties"] = props;
        props["apiVersion"] = new JsonObject
        {
            ["description"] = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
            ["type"] = "string",
        };
        props["kind"] = new JsonObject
        {
            ["description"] = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to.",
            ["type"] = "string",
        };
        props["metadata"] = new JsonObject
        {
            ["description"] = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = refPrefix + ObjectMetaRef }),
        };
        s["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(t));
        return s;
    }

    internal static JsonObject ObjectMeta()
    {
        static JsonObject Str(string d) => new() { ["type"] = "string", ["description"] = d };
        static JsonObject Map(string d) => new()
        {
            ["type"] = "object",
            ["description"] = d,
            ["additionalProperties"] = new JsonObject { ["type"] = "string", ["default"] = "" },
        };
        return new JsonObject
        {
            ["description"] = "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["name"] = Str("Name must be unique within a namespace."),
                ["namespace"] = Str("Namespace defines the space within which each name must be unique."),
                ["labels"] = Map("Map of string keys and values that can be used to organize and categorize (scope and select) objects."),
                ["annotations"] = Map("Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata."),
                ["uid"] = Str("UID is the unique in time and space value for this object."),
                ["resourceVersion"] = Str("An opaque value that represents the internal version of this object."),
                ["generateName"] = Str("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
            },
        };
    }
}
