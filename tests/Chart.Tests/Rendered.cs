using System.Text.Json.Nodes;
using HipaaMongo.Operator.Tests;

namespace HipaaMongo.Chart.Tests;

/// <summary>A rendered manifest stream as JSON objects, with lookups by kind and name.</summary>
internal sealed class Rendered(IReadOnlyList<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public static Rendered Parse(string yaml) => new([.. YamlJson.Documents(yaml).OfType<JsonObject>()]);

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind, string name) =>
        Assert.Single(OfKind(kind), o => (string?)o["metadata"]?["name"] == name);

    public JsonObject Deployment => Assert.Single(OfKind("Deployment"));

    public IReadOnlyList<string> Args =>
        [.. Deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => (string)a!)];
}
