using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery.Tests;

internal static class TestJson
{
    internal static JsonNode? Parse(string json) => JsonNode.Parse(json);

    internal static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    internal static JsonArray Arr(string json) => (JsonArray)JsonNode.Parse(json)!;

    /// <summary>Asserts semantic JSON equality with a readable failure.</summary>
    internal static void Equal(string expected, JsonNode? actual)
    {
        var want = JsonNode.Parse(expected);
        Assert.True(Json.DeepEquals(want, actual), $"expected {Json.Text(want)}\n   actual {Json.Text(actual)}");
    }
}
