using System.Text.Json.Nodes;

namespace HipaaMongo.Entities.Tests.GitOps;

/// <summary>The HipaaMongo objects of every phase, as `kubectl get -o json` prints them.</summary>
internal static class Fixtures
{
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "tests", "Entities.Tests", "GitOps", "Fixtures");

    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json"))) as JsonObject
        ?? throw new InvalidOperationException($"fixture {name} is not a JSON object");

    public static IEnumerable<string> Names() =>
        Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>();
}
