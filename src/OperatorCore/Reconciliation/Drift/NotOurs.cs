using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// The short, documented list of what belongs to others and is never drift (docs/drift.md, "What is not drift"):
/// status (controllers), the server's metadata bookkeeping (uid, resourceVersion, generation, creationTimestamp,
/// managedFields, finalizers ...), labels and annotations on the object's own metadata whose keys we do not render
/// (GitOps tools and the platform add them), and our own last-applied stamps (bookkeeping, compared by
/// <see cref="LastApplied.Carries"/>). Everything else, anywhere in the object, is compared whole.
/// </summary>
public static class NotOurs
{
    /// <summary>The only top-level metadata fields that are ours; the rest is the server's.</summary>
    private static readonly string[] OwnedMetadata = ["labels", "annotations", "ownerReferences"];

    private static readonly string[] Stamps = [LastApplied.RenderAnnotation, LastApplied.ChildrenAnnotation];

    /// <summary>Both objects reduced to what is compared: copies, the inputs are not changed.</summary>
    internal static (JsonObject Desired, JsonObject Live) Strip(JsonObject desired, JsonObject live)
    {
        var ours = Reduce(desired, null);
        return (ours, Reduce(live, ours["metadata"] as JsonObject));
    }

    /// <summary>
    /// A copy of <paramref name="stored"/> whose own labels and annotations are only the keys <paramref name="render"/>
    /// sets, so a server's answer to our write can stand for the desired object without adopting others' keys.
    /// </summary>
    public static JsonObject WithOurMetadataKeys(JsonObject stored, JsonObject render)
    {
        var copy = stored.DeepClone().AsObject();
        foreach (var map in new[] { "labels", "annotations" })
        {
            if (copy["metadata"]?[map] is JsonObject entries)
            {
                foreach (var key in entries.Select(e => e.Key).ToList().Where(k => render["metadata"]?[map]?[k] is null))
                {
                    entries.Remove(key);
                }
            }
        }
        return copy;
    }

    /// <summary>
    /// A copy of <paramref name="desired"/> that also carries the labels and annotations the live object has under
    /// keys we do not render: a replace that reverts drift must not strip what GitOps tools and the platform added.
    /// </summary>
    public static JsonObject WithTheirMetadataKeys(JsonObject desired, JsonObject live)
    {
        var copy = desired.DeepClone().AsObject();
        var metadata = copy["metadata"]!.AsObject();
        foreach (var map in new[] { "labels", "annotations" })
        {
            if (live["metadata"]?[map] is not JsonObject theirs)
            {
                continue;
            }
            if (metadata[map] is not JsonObject ours)
            {
                ours = [];
                metadata[map] = ours;
            }
            foreach (var (key, value) in theirs.Where(e => !ours.ContainsKey(e.Key) && !Stamps.Contains(e.Key)))
            {
                ours[key] = value?.DeepClone();
            }
        }
        return copy;
    }

    /// <summary>A copy without status and system metadata; with <paramref name="keep"/>, only its label and annotation keys.</summary>
    private static JsonObject Reduce(JsonObject obj, JsonObject? keep)
    {
        var reduced = new JsonObject();
        foreach (var (name, value) in obj)
        {
            if (name is not ("apiVersion" or "kind" or "metadata" or "status"))
            {
                reduced[name] = value?.DeepClone();
            }
        }

        var metadata = new JsonObject();
        foreach (var field in OwnedMetadata)
        {
            if (obj["metadata"]?[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }

        foreach (var map in new[] { "labels", "annotations" })
        {
            if (metadata[map] is JsonObject entries)
            {
                foreach (var key in entries.Select(e => e.Key).ToList()
                    .Where(k => Stamps.Contains(k) || (keep is not null && keep[map]?[k] is null)))
                {
                    entries.Remove(key);
                }
                if (entries.Count == 0)
                {
                    metadata.Remove(map);
                }
            }
        }

        reduced["metadata"] = metadata;
        return reduced;
    }
}
