using System.Text.Json.Nodes;
using CsCheck;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Drift;
using HipaaMongo.Operator.Tests.Baseline;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>
/// For any valid spec and any rendered object: a change anywhere outside the documented list (docs/drift.md, "What
/// is not drift") is a finding at its path and forces a replace; a change inside that list (status, server
/// bookkeeping, other tools' keys on the object's own labels and annotations) is none.
/// </summary>
public class DriftPropertyTests
{
    private const int Iterations = 60;

    private static readonly Gen<JsonNode> Value = Gen.OneOf<JsonNode>(
        Gen.Int.Select(i => (JsonNode)i),
        Gen.Bool.Select(b => (JsonNode)b),
        Gen.String[Gen.Char.AlphaNumeric, 1, 12].Select(s => (JsonNode)s),
        Gen.Int.Select(i => (JsonNode)new JsonObject { ["added"] = i }));

    /// <summary>One edit: where (an index into the eligible nodes), what (add, change or remove) and the value.</summary>
    private static readonly Gen<(int Where, int What, string Name, JsonNode Value)> Edit =
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, 2], Gen.String[Gen.Char.AlphaNumeric, 1, 10], Value, (w, k, n, v) => (w, k, "x" + n, v));

    [Fact]
    public void Any_edit_outside_the_documented_list_is_a_finding_at_its_path_and_forces_a_replace() =>
        Gen.Select(SpecGen.Resource, Edit).Sample((resource, edit) =>
        {
            foreach (var obj in DesiredStateRenderer.Render(resource).Objects)
            {
                var desired = ObjectJson.From(obj);
                var live = desired.DeepClone().AsObject();
                var targets = Compared(live, []).Prepend((live, "")).ToList();
                var (node, path) = targets[edit.Where % targets.Count];
                var expected = Apply(node, path, edit.What, edit.Name, edit.Value);

                var findings = DriftDetector.Detect(desired, live);

                Assert.True(findings.Any(f => f.Path.StartsWith(expected, StringComparison.Ordinal)),
                    $"{obj.Kind} {expected}: {string.Join("; ", findings.Select(f => f.Message))}");
                Assert.Equal(ApplyAction.Replace, ApplyDecision.From(findings).Action);
            }
        }, iter: Iterations, threads: 1);

    [Fact]
    public void Edits_inside_the_documented_list_are_not_drift() =>
        Gen.Select(SpecGen.Resource, Edit).Sample((resource, edit) =>
        {
            foreach (var obj in DesiredStateRenderer.Render(resource).Objects)
            {
                var desired = ObjectJson.From(obj);
                var live = desired.DeepClone().AsObject();
                var metadata = live["metadata"]!.AsObject();
                live["status"] = new JsonObject { [edit.Name] = edit.Value.DeepClone() };
                metadata["resourceVersion"] = edit.Where.ToString(System.Globalization.CultureInfo.InvariantCulture);
                metadata["managedFields"] = new JsonArray(new JsonObject { ["manager"] = edit.Name });
                var map = edit.What == 0 ? "labels" : "annotations";
                metadata[map] ??= new JsonObject();
                metadata[map]![$"example.org/{edit.Name}"] = edit.Value.ToJsonString();

                var findings = DriftDetector.Detect(desired, live);
                Assert.True(findings.Count == 0, string.Join("; ", findings.Select(f => f.Message)));
            }
        }, iter: Iterations, threads: 1);

    /// <summary>Adds a fresh field, changes a scalar or removes a field at one node; returns the expected path prefix.</summary>
    private static string Apply(JsonObject node, string path, int what, string name, JsonNode value)
    {
        // At the root only an addition: apiVersion, kind and metadata are identity and bookkeeping.
        var scalar = path.Length == 0 ? default : node.FirstOrDefault(p => p.Value is JsonValue && !IsKey(p.Key));
        string At(string key) => path.Length == 0 ? Segment(key) : Segment(key) is var seg && seg.StartsWith('[') ? path + seg : path + "." + seg;
        switch (what)
        {
            case 1 when scalar.Key is not null:
                node[scalar.Key] = scalar.Value!.ToJsonString() == "\"changed-x\"" ? "changed-y" : "changed-x";
                return At(scalar.Key);
            case 2 when scalar.Key is not null:
                node.Remove(scalar.Key);
                return path;
            default:
                node[name] = value.DeepClone();
                return At(name);
        }
    }

    // A merge key names its element: changing it is a removed and an added element, both under the list's path.
    private static bool IsKey(string field) => field is "name" or "mountPath" or "containerPort" or "port" or "uid" or "ip";

    private static string Segment(string key) => key.Contains('.') || key.Contains('/') ? $"[{key}]" : key;

    /// <summary>Every object node that is compared, with its path (as the detector formats it, roughly: lists by index).</summary>
    private static IEnumerable<(JsonObject Node, string Path)> Compared(JsonObject root, List<string> at)
    {
        foreach (var (key, child) in root.ToList())
        {
            if (at.Count == 0 && key is "metadata" or "status" or "apiVersion" or "kind")
            {
                continue;
            }
            foreach (var found in Walk(child, [.. at, key]))
            {
                yield return found;
            }
        }
    }

    private static IEnumerable<(JsonObject, string)> Walk(JsonNode? node, List<string> at)
    {
        if (node is JsonObject o)
        {
            yield return (o, Format(at));
            foreach (var found in Compared(o, at))
            {
                yield return found;
            }
        }
        else if (node is JsonArray a && ListKeyOf(at[^1], a) is null)
        {
            // Elements of keyed lists are reached through their key in the detector's path; positional ones by index.
            for (var i = 0; i < a.Count; i++)
            {
                foreach (var found in Walk(a[i], [.. at, $"[{i}]"]))
                {
                    yield return found;
                }
            }
        }
        else if (node is JsonArray keyed)
        {
            var key = ListKeyOf(at[^1], keyed)!;
            foreach (var element in keyed.OfType<JsonObject>())
            {
                foreach (var found in Walk(element, [.. at, $"[{key}={element[key]}]"]))
                {
                    yield return found;
                }
            }
        }
    }

    // The merge keys of k8s.io/api, used only where each element has a distinct value (as the detector does).
    private static string? ListKeyOf(string field, JsonArray list)
    {
        string[] keys = field switch
        {
            "containers" or "initContainers" or "volumes" or "env" or "imagePullSecrets" => ["name"],
            "volumeMounts" => ["mountPath"],
            "ports" => ["containerPort", "port"],
            _ => [],
        };
        return keys.FirstOrDefault(k => list.All(e => e?[k] is JsonValue)
            && list.Select(e => e![k]!.ToJsonString()).Distinct().Count() == list.Count);
    }

    private static string Format(List<string> segments) => string.Concat(segments.Select((s, i) => s.StartsWith('[') ? s
        : s.Contains('.') || s.Contains('/') ? $"[{s}]"
        : i == 0 ? s : "." + s));
}
