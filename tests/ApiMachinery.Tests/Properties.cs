using System.Text.Json.Nodes;
using CsCheck;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>CsCheck properties: merge patch idempotence, diff round trip, SSA re-apply, selector print/parse.</summary>
public class Properties
{
    private static readonly Gen<string> Key = Gen.OneOf("a", "b", "c", "d");

    private static readonly Gen<JsonNode?> Scalar = Gen.OneOf<JsonNode?>(
        Gen.Int[-3, 3].Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.OneOf("x", "y", "").Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)));

    // Documents without nulls (a null in a merge patch means delete, so documents with nulls are not fixed points).
    private static readonly Gen<JsonNode?> Doc = Gen.Recursive<JsonNode?>((depth, self) => depth >= 3
        ? Scalar
        : Gen.OneOf(
            Scalar,
            self.Array[0, 3].Select(items => (JsonNode?)new JsonArray(items)),
            Gen.Select(Key, self).Array[0, 4].Select(ToObject)));

    private static readonly Gen<JsonNode?> PatchGen = Gen.Recursive<JsonNode?>((depth, self) => depth >= 3
        ? Gen.Frequency((4, Scalar), (1, Gen.Const<JsonNode?>(() => null)))
        : Gen.Frequency(
            (3, Scalar),
            (1, Gen.Const<JsonNode?>(() => null)),
            (3, Gen.Select(Key, self).Array[0, 4].Select(ToObject))));

    private static readonly Gen<JsonObject> ObjectDoc = Gen.Select(Key, Doc).Array[0, 4].Select(p => (JsonObject)ToObject(p)!);

    private static JsonNode? ToObject((string Key, JsonNode? Value)[] pairs)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in pairs)
        {
            obj[k] = v?.DeepClone();
        }

        return obj;
    }

    [Fact]
    public void Merge_patch_is_idempotent() =>
        Gen.Select(Doc, PatchGen).Sample((doc, patch) =>
        {
            var once = JsonMergePatch.Apply(doc, patch);
            var twice = JsonMergePatch.Apply(once, patch);
            Assert.True(Json.DeepEquals(once, twice), $"{Json.Text(once)} != {Json.Text(twice)}");
        }, iter: 500);

    [Fact]
    public void Strategic_merge_equals_merge_patch_on_documents_without_lists()
    {
        var schema = PatchSchema.ForKind("", "v1", "ConfigMap");
        var noLists = Gen.Recursive<JsonNode?>((depth, self) => depth >= 3
            ? Scalar
            : Gen.OneOf(Scalar, Gen.Select(Key, self).Array[0, 4].Select(ToObject)));
        Gen.Select(noLists, PatchGen).Sample((doc, patch) =>
        {
            var expected = JsonMergePatch.Apply(doc, patch);
            var actual = StrategicMergePatch.Apply(doc, patch, schema);
            Assert.True(Json.DeepEquals(expected, actual), $"{Json.Text(expected)} != {Json.Text(actual)}");
        }, iter: 500);
    }

    [Fact]
    public void Merge_patch_diff_reproduces_the_target() =>
        Gen.Select(ObjectDoc, ObjectDoc).Sample((from, to) =>
        {
            var result = JsonMergePatch.Apply(from, JsonMergePatch.Diff(from, to));
            Assert.True(Json.DeepEquals(to, result), $"{Json.Text(to)} != {Json.Text(result)}");
        }, iter: 500);

    [Fact]
    public void Server_side_apply_of_the_same_configuration_twice_changes_nothing()
    {
        var schema = PatchSchema.ForKind("", "v1", "ConfigMap");
        var labels = Gen.Select(Gen.OneOf("app", "tier", "x"), Gen.OneOf("1", "2")).Array[0, 3];
        var data = Gen.Select(Gen.OneOf("k1", "k2", "k3"), Gen.OneOf("v", "w")).Array[0, 3];
        var finalizers = Gen.OneOf("a/x", "b/y").Array[0, 2];
        Gen.Select(labels, data, finalizers, ObjectDoc).Sample((l, d, f, live) =>
        {
            var config = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject { ["name"] = "c", ["labels"] = ToObject(l.Select(p => (p.Item1, (JsonNode?)p.Item2)).ToArray()), ["finalizers"] = new JsonArray(f.Distinct().Select(x => (JsonNode?)x).ToArray()) },
                ["data"] = ToObject(d.Select(p => (p.Item1, (JsonNode?)p.Item2)).ToArray()),
            };
            var start = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "c" }, ["other"] = live };
            var first = ServerSideApply.Apply(start, config, "m", false, schema, "2024-01-01T00:00:00Z");
            Assert.False(first.HasConflicts);
            var second = ServerSideApply.Apply(first.Merged, (JsonObject)config.DeepClone(), "m", false, schema, "2024-02-01T00:00:00Z");
            Assert.True(Json.DeepEquals(first.Merged, second.Merged), $"{first.Merged.ToJsonString()}\n{second.Merged.ToJsonString()}");
        }, iter: 200);
    }

    [Fact]
    public void Label_selector_print_then_parse_round_trips()
    {
        var key = Gen.OneOf("app", "tier", "example.com/role", "k8s.io_x");
        var value = Gen.OneOf("a", "b-1", "v.2", "");
        // "(a,,)" is a syntax error in the Go parser too, so set values in the input are never empty.
        var setValue = Gen.OneOf("a", "b-1", "v.2");
        var requirement = Gen.Select(key, Gen.Int[0, 6], value, setValue.Array[1, 3]).Select((k, op, v, vs) => op switch
        {
            0 => $"{k}={v}",
            1 => $"{k}=={v}",
            2 => $"{k}!={v}",
            3 => $"{k} in ({string.Join(",", vs)})",
            4 => $"{k} notin ({string.Join(",", vs)})",
            5 => k,
            _ => "!" + k,
        });
        var labels = Gen.Select(key, value).Array[0, 4];
        Gen.Select(requirement.Array[0, 4], labels).Sample((reqs, ls) =>
        {
            var parsed = LabelSelector.Parse(string.Join(",", reqs));
            var printed = parsed.ToString();
            var reparsed = LabelSelector.Parse(printed);
            Assert.Equal(printed, reparsed.ToString());
            var map = ls.GroupBy(p => p.Item1).ToDictionary(g => g.Key, g => g.First().Item2);
            Assert.Equal(parsed.Matches(map), reparsed.Matches(map));
        }, iter: 500);
    }
}
