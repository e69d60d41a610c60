using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// Compares two objects whole and both ways: a field in the desired object that the live one lacks is Removed, one
/// that holds another value is Changed, and one only the live object has is Added. The caller strips what belongs
/// to others first (<see cref="NotOurs"/>). Absent, null and an empty list mean the same (the API server omits
/// empty lists); an empty object does not (cert-manager's <c>selfSigned: {}</c> chooses the issuer type); keyed lists are matched by their merge key, so a reordered list is not a difference.
/// </summary>
internal sealed class ObjectComparer
{
    private readonly List<string> _path = [];
    private readonly List<Difference> _found = [];

    public static List<Difference> Compare(JsonObject desired, JsonObject live)
    {
        var comparer = new ObjectComparer();
        comparer.Node(desired, live);
        return comparer._found;
    }

    private void Node(JsonNode? desired, JsonNode? live)
    {
        // A keyed list added or removed whole is reported element by element (env[name=LD_PRELOAD], not env).
        if ((desired, live) is (JsonArray, null) or (null, JsonArray)
            && (desired as JsonArray ?? [], live as JsonArray ?? []) is var (listed, found)
            && ListKeys.For(_path, listed, found) is { } key)
        {
            Keyed(listed, found, key);
            return;
        }

        switch ((IsAbsent(desired), IsAbsent(live)))
        {
            case (true, true):
                return;
            case (false, true):
                Add(desired, null, DriftChange.Removed);
                return;
            case (true, false):
                Add(null, live, DriftChange.Added);
                return;
        }

        switch (desired)
        {
            case JsonObject o when live is JsonObject l:
                Object(o, l);
                break;
            case JsonArray a when live is JsonArray l:
                Array(a, l);
                break;
            default:
                Scalar(desired!, live!);
                break;
        }
    }

    private void Object(JsonObject desired, JsonObject live)
    {
        foreach (var name in desired.Select(p => p.Key).Concat(live.Select(p => p.Key).Where(k => !desired.ContainsKey(k))))
        {
            Within(name, () => Node(desired[name], live[name]));
        }
    }

    private void Array(JsonArray desired, JsonArray live)
    {
        if (ListKeys.For(_path, desired, live) is { } key)
        {
            Keyed(desired, live, key);
            return;
        }

        // A list of scalars (command, args, policyTypes) is one value: report it once, whole.
        if (desired.Concat(live).All(e => e is JsonValue))
        {
            if (!JsonNode.DeepEquals(desired, live))
            {
                Add(desired, live, DriftChange.Changed);
            }
            return;
        }

        for (var i = 0; i < Math.Max(desired.Count, live.Count); i++)
        {
            var (d, l) = (i < desired.Count ? desired[i] : null, i < live.Count ? live[i] : null);
            Within($"[{i}]", () => Node(d, l));
        }
    }

    private void Keyed(JsonArray desired, JsonArray live, string key)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in desired)
        {
            var id = KeyOf(element, key);
            seen.Add(id);
            Within(FieldPath.Element(key, id), () => Node(element, live.FirstOrDefault(l => KeyOf(l, key) == id)));
        }

        foreach (var extra in live.Where(l => !seen.Contains(KeyOf(l, key))))
        {
            Within(FieldPath.Element(key, KeyOf(extra, key)), () => Add(null, extra, DriftChange.Added));
        }
    }

    private void Scalar(JsonNode desired, JsonNode live)
    {
        if (!(JsonNode.DeepEquals(desired, live) || SameQuantity(desired, live)))
        {
            Add(desired, live, DriftChange.Changed);
        }
    }

    /// <summary>The server canonicalises quantities ("1000m" comes back as "1").</summary>
    private bool SameQuantity(JsonNode desired, JsonNode live)
    {
        if (!IsQuantityField() || desired.GetValueKind() != JsonValueKind.String || live.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            return new ResourceQuantity(desired.GetValue<string>()).ToDecimal() == new ResourceQuantity(live.GetValue<string>()).ToDecimal();
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private bool IsQuantityField() =>
        _path.Count > 1 && (_path[^2] is "limits" or "requests" or "capacity" || _path[^1] == "sizeLimit");

    private void Add(JsonNode? expected, JsonNode? found, DriftChange change) =>
        _found.Add(new Difference([.. _path], expected, found, change));

    private void Within(string segment, Action action)
    {
        _path.Add(segment);
        action();
        _path.RemoveAt(_path.Count - 1);
    }

    private static string KeyOf(JsonNode? element, string key) => element?[key]?.ToString() ?? "";

    private static bool IsAbsent(JsonNode? node) => node is null or JsonArray { Count: 0 };
}
