using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using HipaaMongo.ApiMachinery;

namespace HipaaMongo.Benchmarks.Micro;

/// <summary>
/// ApiMachinery's per-request hot paths, all as ratios to one floor: serializing the StatefulSet to JSON,
/// which every response carrying it must at least do. (A DeepClone is no floor: a node parsed from text
/// is backed by its JsonElement and clones in nanoseconds until first touched.)
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    const string Timestamp = "2026-01-01T00:00:00Z";
    readonly PatchSchema schema = PatchSchema.ForKind("apps", "v1", "StatefulSet");
    JsonObject statefulSet = null!;
    JsonObject patch = null!;
    JsonObject applied = null!;
    JsonObject live = null!;
    JsonObject[] labelMaps = null!;
    LabelSelector selector = null!;

    [GlobalSetup]
    public void Setup()
    {
        statefulSet = Fixtures.StatefulSet();
        patch = Fixtures.ImageBumpPatch();
        applied = Fixtures.StatefulSet();
        // The live object after the first apply: re-applying the same config must be a no-op.
        var first = ServerSideApply.Apply(null, applied, "hipaa-mongo", force: false, schema, Timestamp);
        if (first.HasConflicts)
        {
            throw new InvalidOperationException("the first apply of the fixture conflicted: " + first.ConflictMessage);
        }

        live = first.Merged;
        labelMaps = Fixtures.LabelMaps(1_000);
        selector = LabelSelector.Parse("app=db,tier in (t0,t2),!canary");
    }

    [Benchmark(Baseline = true, Description = "serialize StatefulSet (floor)")]
    public string SerializeStatefulSet() => statefulSet.ToJsonString();

    [Benchmark(Description = "strategic merge patch StatefulSet")]
    public JsonNode? StrategicPatch() => StrategicMergePatch.Apply(statefulSet, patch, schema);

    [Benchmark(Description = "JSON merge patch StatefulSet")]
    public JsonNode? MergePatch() => JsonMergePatch.Apply(statefulSet, patch);

    [Benchmark(Description = "server-side apply re-apply (no-op)")]
    public JsonObject ReApplyNoOp() => ServerSideApply.Apply(live, applied, "hipaa-mongo", force: false, schema, Timestamp).Merged;

    [Benchmark(Description = "label selector match x1000")]
    public int SelectorMatch1000()
    {
        var matched = 0;
        foreach (var labels in labelMaps)
        {
            if (selector.Matches(labels))
            {
                matched++;
            }
        }

        return matched;
    }
}
