using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>The revisions one pass works with: which exist, and what to create or renumber first.</summary>
/// <param name="Current">The revision named by status.currentRevision (or the update revision when there is none).</param>
/// <param name="Update">The revision of the set's current template.</param>
/// <param name="Create">A new revision to create (its template was never recorded).</param>
/// <param name="Renumber">An older equal revision to give the next revision number (a roll-back).</param>
/// <param name="CollisionCount">status.collisionCount, carried into the status written (raised on a name collision).</param>
public sealed record RevisionPlan(V1ControllerRevision Current, V1ControllerRevision Update, V1ControllerRevision? Create,
    V1ControllerRevision? Renumber, int CollisionCount = 0);

/// <summary>
/// The StatefulSet controller's ControllerRevisions, pure, after kubernetes pkg/controller/statefulset
/// (getPatch, newRevision, getStatefulSetRevisions, truncateHistory) and pkg/controller/history
/// (NewControllerRevision, HashControllerRevision, EqualRevision, FindEqualRevisions).
/// </summary>
public static class StatefulSetRevisions
{
    /// <summary>history.ControllerRevisionHashLabel: the hash part of the revision name.</summary>
    public const string HashLabel = "controller.kubernetes.io/hash";

    /// <summary>The default spec.revisionHistoryLimit.</summary>
    public const int DefaultHistoryLimit = 10;

    private static readonly JsonSerializerOptions GoLike =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789"; // apimachinery rand.SafeEncodeString

    /// <summary>
    /// getPatch: <c>{"spec":{"template":{…,"$patch":"replace"}}}</c>, keys sorted as Go's json.Marshal of a map
    /// writes them, the template's metadata keeping <c>"creationTimestamp":null</c> as the Go type encodes it.
    /// </summary>
    public static string Patch(V1StatefulSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var template = JsonNode.Parse(KubernetesJson.Serialize(set.Spec.Template))!.AsObject();
        var metadata = template["metadata"] as JsonObject ?? [];
        metadata.Remove("creationTimestamp");
        metadata["creationTimestamp"] = null;
        template["metadata"] = metadata.DeepClone();
        template["$patch"] = "replace";
        var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = template.DeepClone() } };
        return GoJson(Sorted(patch)!);
    }

    // Go's encoding/json: UTF-8 as is, only HTMLEscape's characters escaped (lower-case hex), so the bytes hashed
    // match what the real controller hashes for the same values. The characters appear only inside strings.
    private static string GoJson(JsonNode node) =>
        node.ToJsonString(GoLike)
            .Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal)
            .Replace("&", "\\u0026", StringComparison.Ordinal)
            .Replace("\u2028", "\\u2028", StringComparison.Ordinal)
            .Replace("\u2029", "\\u2029", StringComparison.Ordinal);

    /// <summary>HashControllerRevision: FNV-1 32-bit of the data, then the collision count, SafeEncodeString'd.</summary>
    public static string Hash(string data, int? collisionCount)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bytes = Encoding.UTF8.GetBytes(data).AsEnumerable();
        if (collisionCount is { } probe)
        {
            bytes = bytes.Concat(Encoding.UTF8.GetBytes(probe.ToString(CultureInfo.InvariantCulture)));
        }
        uint hash = 2166136261;
        foreach (var b in bytes)
        {
            hash = unchecked(hash * 16777619) ^ b; // FNV-1 (Go hash/fnv New32): multiply, then xor
        }
        return string.Concat(hash.ToString(CultureInfo.InvariantCulture).Select(c => Alphabet[c % Alphabet.Length]));
    }

    /// <summary>ControllerRevisionName: &lt;set&gt;-&lt;hash&gt;, the prefix cut to 223 characters.</summary>
    public static string Name(string set, string hash)
    {
        ArgumentNullException.ThrowIfNull(set);
        return $"{(set.Length > 223 ? set[..223] : set)}-{hash}";
    }

    /// <summary>NewControllerRevision for the set's current template at <paramref name="revision"/>.</summary>
    public static V1ControllerRevision New(V1StatefulSet set, long revision)
    {
        ArgumentNullException.ThrowIfNull(set);
        var data = Patch(set);
        var hash = Hash(data, set.Status?.CollisionCount ?? 0);
        var labels = new Dictionary<string, string>(set.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [HashLabel] = hash,
        };
        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = Name(set.Metadata.Name, hash),
                NamespaceProperty = set.Metadata.NamespaceProperty,
                Labels = labels,
                OwnerReferences = [StatefulSetObjects.Owner(set)],
            },
            Data = JsonDocument.Parse(data).RootElement.Clone(),
            Revision = revision,
        };
    }

    /// <summary>
    /// getStatefulSetRevisions: the update revision is the newest one when it equals the template, an older equal
    /// one renumbered to the next revision (roll-back), or a new one; the current revision is the one named in
    /// status.currentRevision, else the update revision.
    /// </summary>
    public static RevisionPlan Resolve(V1StatefulSet set, IReadOnlyList<V1ControllerRevision> revisions)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(revisions);
        var sorted = Sort(revisions);
        var next = sorted.Count == 0 ? 1 : (sorted[^1].Revision ?? 0) + 1;
        var wanted = New(set, next);
        var equal = sorted.Where(r => Equal(r, wanted)).ToList();
        V1ControllerRevision update;
        V1ControllerRevision? create = null, renumber = null;
        if (equal.Count > 0 && ReferenceEquals(equal[^1], sorted[^1]))
        {
            update = sorted[^1];
        }
        else if (equal.Count > 0)
        {
            update = renumber = StatefulSetNames.Clone(equal[^1]);
            renumber.Revision = next;
        }
        else
        {
            update = create = wanted;
        }
        var current = sorted.FirstOrDefault(r => r.Metadata.Name == set.Status?.CurrentRevision) ?? update;
        return new RevisionPlan(current, update, create, renumber, set.Status?.CollisionCount ?? 0);
    }

    /// <summary>
    /// truncateHistory: revisions that are neither current, update nor any pod's, oldest first, beyond
    /// spec.revisionHistoryLimit (default 10) — the names to delete.
    /// </summary>
    public static IReadOnlyList<string> Truncate(V1StatefulSet set, IReadOnlyList<V1ControllerRevision> revisions, IReadOnlyList<V1Pod> pods,
        string current, string update)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(pods);
        var live = new HashSet<string>(pods.Select(PodState.Revision).OfType<string>(), StringComparer.Ordinal) { current, update };
        var history = Sort(revisions).Where(r => !live.Contains(r.Metadata.Name)).ToList();
        var limit = Math.Max(0, set.Spec.RevisionHistoryLimit ?? DefaultHistoryLimit);
        return [.. history.Take(Math.Max(0, history.Count - limit)).Select(r => r.Metadata.Name)];
    }

    /// <summary>The pod template a revision recorded (ApplyRevision: its patch replaces spec.template).</summary>
    public static V1PodTemplateSpec Template(V1ControllerRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var data = JsonNode.Parse(KubernetesJson.Serialize(revision.Data))?["spec"]?["template"]?.AsObject()
            ?? throw new FormatException($"controllerrevision {revision.Metadata?.Name} has no spec.template");
        data.Remove("$patch");
        return KubernetesJson.Deserialize<V1PodTemplateSpec>(data.ToJsonString());
    }

    /// <summary>EqualRevision: hash labels (when both have one) and data agree.</summary>
    public static bool Equal(V1ControllerRevision left, V1ControllerRevision right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (HashOf(left) is { } l && HashOf(right) is { } r && l != r)
        {
            return false;
        }
        return Canonical(left.Data) == Canonical(right.Data);
    }

    // SortControllerRevisions: by revision, then creation time, then name.
    private static List<V1ControllerRevision> Sort(IEnumerable<V1ControllerRevision> revisions) =>
        [.. revisions.OrderBy(r => r.Revision).ThenBy(r => r.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)];

    private static string? HashOf(V1ControllerRevision revision) =>
        revision.Metadata?.Labels is { } labels && labels.TryGetValue(HashLabel, out var h) ? h : null;

    private static string Canonical(object? data) =>
        data is null ? "" : Sorted(JsonNode.Parse(KubernetesJson.Serialize(data)))?.ToJsonString() ?? "null";

    // Go's encoding/json writes map keys in byte order.
    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray([.. a.Select(x => Sorted(x?.DeepClone()))]),
        _ => node?.DeepClone(),
    };
}
