using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// Pure drift detection for one owned object: which fields we own or guard differ between the
/// desired object (from the baseline render) and the live object (from the informer cache).
/// Only what we render is compared, plus the guarded additions (containers, volumes, env, host
/// and privilege settings, config keys, NetworkPolicy fields); server defaults, status, metadata
/// bookkeeping and other tools' labels and annotations are not drift. docs/drift.md explains why.
/// </summary>
public static class DriftDetector
{
    /// <summary>Top-level metadata fields we set; the rest (uid, resourceVersion, managedFields ...) is the server's.</summary>
    private static readonly string[] OwnedMetadata = ["labels", "annotations", "ownerReferences"];

    private static readonly HashSet<string> NotCompared = ["apiVersion", "kind", "metadata", "status"];

    public static IReadOnlyList<DriftFinding> Detect(IKubernetesObject<V1ObjectMeta> desired, IKubernetesObject<V1ObjectMeta>? live) =>
        Detect(ObjectJson.From(desired), live is null ? null : ObjectJson.From(live));

    public static IReadOnlyList<DriftFinding> Detect(JsonObject desired, JsonObject? live)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var id = ObjectId.Of(desired);
        if (live is null)
        {
            var missing = id.Kind == V1NetworkPolicy.KubeKind ? DriftClass.NetworkPolicyMissing : DriftClass.ObjectMissing;
            return [new DriftFinding(id.Kind, id.Namespace, id.Name, "", "present", ValueText.Absent, missing, DriftChange.ObjectMissing)];
        }

        var differences = SubsetComparer.Compare(Owned(desired), live, new ComparePolicy(id.Kind))
            .Select(d => (d, DriftClassifier.Classify(id.Kind, d)))
            .Concat(PodSecurityGuard.Check(desired, live));
        return [.. differences.Select(x => ToFinding(id, x.Item1, x.Item2))];
    }

    /// <summary>The part of the desired object that is ours to compare.</summary>
    private static JsonObject Owned(JsonObject desired)
    {
        var owned = new JsonObject();
        var metadata = new JsonObject();
        foreach (var field in OwnedMetadata)
        {
            if (desired["metadata"]?[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }

        owned["metadata"] = metadata;
        foreach (var (name, value) in desired)
        {
            if (!NotCompared.Contains(name))
            {
                owned[name] = value?.DeepClone();
            }
        }

        return owned;
    }

    private static DriftFinding ToFinding(ObjectId id, Difference d, DriftClass cls)
    {
        var secret = id.Kind == V1Secret.KubeKind && d.Segments.Count > 0 && d.Segments[0] is "data" or "stringData";
        var (expected, found) = ValueText.Describe(d.Expected, d.Found, secret);
        return new DriftFinding(id.Kind, id.Namespace, id.Name, d.Path, expected, found, cls, d.Change);
    }
}
