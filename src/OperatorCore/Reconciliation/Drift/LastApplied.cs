using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// Pure: what the previous pass rendered, kept in the cluster rather than in the operator's memory (kubectl's
/// last-applied-configuration does the same). Every child carries its own render as an annotation, and the
/// StatefulSet (always rendered) the list of every child of that render, so the first pass of a new generation can
/// tell an out-of-band change from a spec change, and a deleted child from a new one, after a restart or a failover
/// as well as without one.
/// </summary>
public static class LastApplied
{
    /// <summary>The child's own render (JSON, without this annotation).</summary>
    public const string RenderAnnotation = "hipaa.mongooperator.io/last-applied";

    /// <summary>On the StatefulSet: every child of the same render, "Kind/namespace/name" one per line.</summary>
    public const string ChildrenAnnotation = "hipaa.mongooperator.io/last-applied-children";

    /// <summary>The key of an object in <see cref="Previous"/> and the children list.</summary>
    public static string Key(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var id = ObjectId.Of(obj);
        return $"{id.Kind}/{id.Namespace}/{id.Name}";
    }

    /// <summary>
    /// <paramref name="desired"/> with its own render as an annotation; the StatefulSet also lists <paramref name="children"/>.
    /// </summary>
    public static JsonObject Stamp(JsonObject desired, IReadOnlyList<string> children)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(children);
        var render = desired.ToJsonString();
        var stamped = (JsonObject)desired.DeepClone();
        var metadata = stamped["metadata"] as JsonObject ?? throw new ArgumentException("the desired object has no metadata", nameof(desired));
        if (metadata["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            metadata["annotations"] = annotations;
        }
        annotations[RenderAnnotation] = render;
        if (stamped["kind"]?.ToString() == "StatefulSet")
        {
            annotations[ChildrenAnnotation] = string.Join('\n', children);
        }
        return stamped;
    }

    /// <summary>The live child already carries the stamp(s) of <paramref name="stamped"/>.</summary>
    public static bool Carries(JsonObject live, JsonObject stamped)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(stamped);
        var want = stamped["metadata"]?["annotations"] as JsonObject;
        var have = live["metadata"]?["annotations"] as JsonObject;
        return new[] { RenderAnnotation, ChildrenAnnotation }.All(key =>
            want?[key]?.GetValue<string>() == have?[key]?.GetValue<string>());
    }

    /// <summary>
    /// The previous render of each child as found live: a child's own annotation, and for a child the StatefulSet's
    /// list names but that is gone, <paramref name="desired"/>'s render as a stand-in (what it was does not matter:
    /// it is missing). A child known to neither was not rendered before, or is not known (e.g. made by an older
    /// version); both read as new.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonObject> Previous(IReadOnlyList<(JsonObject Desired, JsonObject? Live)> children)
    {
        ArgumentNullException.ThrowIfNull(children);
        var previous = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (desired, live) in children)
        {
            var annotations = live?["metadata"]?["annotations"] as JsonObject;
            if (annotations?[RenderAnnotation]?.GetValue<string>() is { } render && JsonNode.Parse(render) is JsonObject before)
            {
                previous[Key(desired)] = before;
            }
            if (annotations?[ChildrenAnnotation]?.GetValue<string>() is { } list)
            {
                listed.UnionWith(list.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }
        }
        foreach (var (desired, live) in children)
        {
            if (live is null && listed.Contains(Key(desired)))
            {
                previous.TryAdd(Key(desired), desired);
            }
        }
        return previous;
    }
}
