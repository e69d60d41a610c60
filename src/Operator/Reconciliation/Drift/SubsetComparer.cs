using System.Text.Json.Nodes;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// Walks the desired object and reports where the live object differs in a field we set. Fields we
/// never set are not looked at, except where <see cref="ComparePolicy"/> says additions are drift.
/// An empty desired object or list means the same as an absent one (Kubernetes drops both).
/// </summary>
internal sealed class SubsetComparer
{
    private readonly ComparePolicy _policy;
    private readonly List<string> _path = [];
    private readonly List<Difference> _found = [];

    private SubsetComparer(ComparePolicy policy) => _policy = policy;

    public static List<Difference> Compare(JsonObject desired, JsonObject live, ComparePolicy policy)
    {
        var comparer = new SubsetComparer(policy);
        comparer.Object(desired, live);
        return comparer._found;
    }

    private void Node(JsonNode desired, JsonNode? live)
    {
        switch (desired)
        {
            case JsonObject o:
                Object(o, live);
                break;
            case JsonArray a:
                Array(a, live);
                break;
            default:
                Scalar(desired, live);
                break;
        }
    }

    private void Object(JsonObject desired, JsonNode? live)
    {
        if (live is not JsonObject liveObject)
        {
            Report(desired, live);
            return;
        }

        foreach (var (name, value) in desired)
        {
            if (value is not null && !IsEmpty(value))
            {
                Within(name, () => Node(value, liveObject[name]));
            }
        }

        foreach (var (name, value) in liveObject)
        {
            if (!desired.ContainsKey(name) && value is not null && _policy.ExtraPropertiesAreDrift(_path, name))
            {
                Within(name, () => Add(null, value, DriftChange.Added));
            }
        }
    }

    private void Array(JsonArray desired, JsonNode? live)
    {
        var field = _path.Count > 0 ? _path[^1] : "";
        var key = ComparePolicy.KeyFor(field);
        if (key is not null && desired.All(e => e is JsonObject o && o[key] is JsonValue))
        {
            Keyed(desired, live as JsonArray ?? [], key, ComparePolicy.ReportsExtraElements(field));
            return;
        }

        // A list of scalars (command, args, policyTypes) is one value: report it once, whole.
        if (live is not JsonArray liveArray || liveArray.Count != desired.Count
            || (desired.All(e => e is JsonValue) && !JsonNode.DeepEquals(desired, liveArray)))
        {
            Report(desired, live);
            return;
        }

        for (var i = 0; i < desired.Count; i++)
        {
            var (d, l) = (desired[i], liveArray[i]);
            if (d is not null)
            {
                Within($"[{i}]", () => Node(d, l));
            }
        }
    }

    private void Keyed(JsonArray desired, JsonArray live, string key, bool extrasAreDrift)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in desired)
        {
            var id = KeyOf(element, key);
            seen.Add(id);
            var match = live.FirstOrDefault(l => KeyOf(l, key) == id);
            Within(FieldPath.Element(key, id), () => Node(element!, match));
        }

        if (!extrasAreDrift)
        {
            return;
        }

        foreach (var extra in live.Where(l => !seen.Contains(KeyOf(l, key))))
        {
            Within(FieldPath.Element(key, KeyOf(extra, key)), () => Add(null, extra, DriftChange.Added));
        }
    }

    private void Scalar(JsonNode desired, JsonNode? live)
    {
        if (live is null || !(JsonNode.DeepEquals(desired, live) || SameQuantity(desired, live)))
        {
            Report(desired, live);
        }
    }

    /// <summary>The server canonicalises quantities ("1000m" comes back as "1").</summary>
    private bool SameQuantity(JsonNode desired, JsonNode live)
    {
        if (!IsQuantityField() || desired.GetValueKind() != System.Text.Json.JsonValueKind.String
            || live.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return false;
        }

        try
        {
            return new ResourceQuantity(desired.GetValue<string>()).ToDecimal()
                == new ResourceQuantity(live.GetValue<string>()).ToDecimal();
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private bool IsQuantityField() =>
        _path.Count > 1 && (_path[^2] is "limits" or "requests" || _path[^1] == "sizeLimit");

    private void Report(JsonNode desired, JsonNode? live) =>
        Add(desired, live, live is null ? DriftChange.Removed : DriftChange.Changed);

    private void Add(JsonNode? expected, JsonNode? found, DriftChange change) =>
        _found.Add(new Difference([.. _path], expected, found, change));

    private void Within(string segment, Action action)
    {
        _path.Add(segment);
        action();
        _path.RemoveAt(_path.Count - 1);
    }

    private static string KeyOf(JsonNode? element, string key) => element?[key]?.ToString() ?? "";

    private static bool IsEmpty(JsonNode node) => node is JsonObject { Count: 0 } or JsonArray { Count: 0 };
}
