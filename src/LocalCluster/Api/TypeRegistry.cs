using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>Every served resource: the built-ins plus the versions of established CRDs.</summary>
public sealed class TypeRegistry
{
    readonly Lock gate = new();
    readonly List<ResourceType> builtins = [.. BuiltinTypes.All];
    Dictionary<string, List<ResourceType>> crdTypes = [];

    /// <summary>Bumped on every change so OpenAPI hashes and discovery follow CRDs.</summary>
    public int Generation { get; private set; }

    public IReadOnlyList<ResourceType> All
    {
        get
        {
            lock (gate)
            {
                return [.. builtins, .. crdTypes.Values.SelectMany(v => v)];
            }
        }
    }

    public ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    /// <summary>Serves (or re-serves) the versions of a CRD; crdName is `plural.group`.</summary>
    public void SetCrd(string crdName, IReadOnlyList<ResourceType> types)
    {
        lock (gate)
        {
            crdTypes = new Dictionary<string, List<ResourceType>>(crdTypes) { [crdName] = [.. types] };
            Generation++;
        }
    }

    public void RemoveCrd(string crdName)
    {
        lock (gate)
        {
            var copy = new Dictionary<string, List<ResourceType>>(crdTypes);
            copy.Remove(crdName);
            crdTypes = copy;
            Generation++;
        }
    }

    static string? S(JsonNode? n) => Semantics.Meta.Str(n);

    /// <summary>Reads the served versions of an established CRD object into resource types.</summary>
    public static IReadOnlyList<ResourceType> FromCrd(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? throw StatusException.BadRequest("CRD has no spec");
        var names = spec["names"] as JsonObject ?? throw StatusException.BadRequest("CRD has no spec.names");
        var group = S(spec["group"]) ?? "";
        var plural = S(names["plural"]) ?? "";
        var kind = S(names["kind"]) ?? "";
        var singular = S(names["singular"]) ?? kind.ToLowerInvariant();
        var shortNames = (names["shortNames"] as JsonArray ?? []).Select(n => S(n) ?? "").ToArray();
        var namespaced = (S(spec["scope"]) ?? "Namespaced") == "Namespaced";
        var categories = (names["categories"] as JsonArray ?? []).Select(n => S(n) ?? "").Where(c => c.Length > 0).ToArray();
        var result = new List<ResourceType>();
        foreach (var v in spec["versions"]?.AsArray() ?? [])
        {
            if (v is not JsonObject ver || Semantics.Meta.Bool(ver["served"]) == false)
            {
                continue;
            }
            var subs = ver["subresources"] as JsonObject;
            result.Add(new ResourceType(group, S(ver["name"]) ?? "v1", plural, singular, kind, namespaced, shortNames,
                subs?["status"] is not null, true, true)
            {
                Schema = (ver["schema"]?["openAPIV3Schema"] as JsonObject)?.DeepClone().AsObject(),
                PrinterColumns = (ver["additionalPrinterColumns"] as JsonArray)?.DeepClone().AsArray(),
                Categories = categories,
            });
        }
        return result;
    }
}
