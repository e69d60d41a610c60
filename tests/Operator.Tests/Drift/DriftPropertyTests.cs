using System.Text.Json.Nodes;
using CsCheck;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Drift;
using HipaaMongo.Operator.Tests.Baseline;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>
/// For any valid spec, every rendered object plus arbitrary added fields (what server defaulting and
/// other field managers do) yields no finding. Additions go anywhere except where an addition is
/// guarded by design (a NetworkPolicy spec, our ConfigMap's data, and the guarded pod fields),
/// under fresh names so they never overwrite a field we set.
/// </summary>
public class DriftPropertyTests
{
    private const int Iterations = 60;

    private static readonly Gen<JsonNode> Value = Gen.OneOf<JsonNode>(
        Gen.Int.Select(i => (JsonNode)i),
        Gen.Bool.Select(b => (JsonNode)b),
        Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(s => (JsonNode)s),
        Gen.Int.Select(i => (JsonNode)new JsonObject { ["defaulted"] = i }));

    private static readonly Gen<(int Where, string Name, JsonNode Value)[]> Additions =
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.String[Gen.Char.AlphaNumeric, 1, 10], Value, (w, n, v) => (w, "x" + n, v)).Array[1, 12];

    [Fact]
    public void Live_equal_to_desired_plus_server_defaults_has_no_findings() =>
        Gen.Select(SpecGen.Resource, Additions).Sample((resource, additions) =>
        {
            foreach (var obj in DesiredStateRenderer.Render(resource).Objects)
            {
                var desired = ObjectJson.From(obj);
                var live = desired.DeepClone().AsObject();
                var targets = Eligible(live, obj.Kind, []).ToList();
                foreach (var (where, name, value) in additions)
                {
                    targets[where % targets.Count][name] = value.DeepClone();
                }

                var findings = DriftDetector.Detect(desired, live);
                Assert.True(findings.Count == 0, string.Join("; ", findings.Select(f => f.Message)));
                Assert.False(ApplyDecision.From(findings).WriteNeeded);
            }
        }, iter: Iterations, threads: 1);

    /// <summary>Every object node of the live copy where an unknown addition is not guarded.</summary>
    private static IEnumerable<JsonObject> Eligible(JsonNode node, string kind, List<string> path)
    {
        if (node is JsonObject o && !Guarded(kind, path))
        {
            yield return o;
        }

        var children = node switch
        {
            JsonObject obj => obj.Select(kv => (kv.Key, kv.Value)),
            JsonArray arr => arr.Select((v, i) => ($"[{i}]", v)),
            _ => [],
        };
        foreach (var (segment, child) in children.ToList())
        {
            if (child is null)
            {
                continue;
            }

            foreach (var target in Eligible(child, kind, [.. path, segment]))
            {
                yield return target;
            }
        }
    }

    private static bool Guarded(string kind, List<string> path) =>
        (kind == "NetworkPolicy" && path.Count > 0 && path[0] == "spec")
        || (kind == "ConfigMap" && path.Count == 1 && path[0] == "data");
}
