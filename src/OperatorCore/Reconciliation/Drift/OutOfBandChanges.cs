using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// Pure: which writes of a pass reverted someone else's change. In a settled pass (the spec did not change) every
/// finding is. In the first pass of a new generation the live object is compared with what the previous
/// generation rendered instead: a difference there was made out of band, unless the new spec changes that same
/// field anyway (then the spec change, not a revert, is what happened to it).
/// </summary>
public static class OutOfBandChanges
{
    /// <summary>The reverted findings; <paramref name="previous"/> is null when the previous render is not known.</summary>
    public static IReadOnlyList<DriftFinding> Reverted(
        IReadOnlyList<AppliedObject> applied, bool settled, IReadOnlyDictionary<string, JsonObject>? previous)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var written = applied.Where(a => a.Decision.WriteNeeded);
        if (settled)
        {
            return [.. written.SelectMany(a => a.Decision.Findings)];
        }
        if (previous is null)
        {
            return []; // e.g. after a restart: a spec change's writes are not claimed as reverts
        }
        return [.. written.SelectMany(a => SinceLastRender(a, previous))];
    }

    /// <summary>The render of one pass, keyed for <see cref="Reverted"/> in the next.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Remember(IReadOnlyList<AppliedObject> applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        return applied.ToDictionary(a => Key(a.Desired), a => ObjectJson.From(a.Desired), StringComparer.Ordinal);
    }

    // The live object was compared with the new render as the server stores it; a difference in a field the spec
    // change moved (both renders compared raw, both ways) is the spec change, every other one was made out of band.
    private static IEnumerable<DriftFinding> SinceLastRender(AppliedObject applied, IReadOnlyDictionary<string, JsonObject> previous)
    {
        if (!previous.TryGetValue(Key(applied.Desired), out var before))
        {
            return []; // new in this generation
        }
        var specChanged = DriftDetector.Detect(ObjectJson.From(applied.Desired), before).Select(f => f.Path).ToList();
        return applied.Decision.Findings
            .Where(f => f.Class != DriftClass.ForeignNetworkPolicyOpensPods
                && !specChanged.Any(p => Overlaps(p, f.Path)));
    }

    // One path is the other or contains it ("a.b" and "a.b.c" or "a.b[name=x]", not "a.bc"); an object's absence
    // (path "") overlaps nothing.
    private static bool Overlaps(string a, string b)
    {
        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        return shorter.Length > 0 && longer.StartsWith(shorter, StringComparison.Ordinal)
            && (longer.Length == shorter.Length || longer[shorter.Length] is '.' or '[');
    }

    private static string Key(k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> o) => $"{o.Kind}/{o.Metadata.NamespaceProperty}/{o.Metadata.Name}";
}
