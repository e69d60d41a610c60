using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// Pure drift detection for one owned object: every difference between the desired object and the live one (from
/// the informer cache). In the operator the desired object is the render as the API server stores it (a dry-run
/// write, <see cref="Apply.DefaultedRenders"/>), so server defaults and mutating admission are part of it and are
/// not drift. Everything is compared both ways except the short list in <see cref="NotOurs"/>: a field added,
/// changed or removed anywhere else is a finding. docs/drift.md explains why.
/// </summary>
public static class DriftDetector
{
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

        var (ours, theirs) = NotOurs.Strip(desired, live);
        return [.. ObjectComparer.Compare(ours, theirs).Select(d => ToFinding(id, d, DriftClassifier.Classify(id.Kind, d)))];
    }

    private static DriftFinding ToFinding(ObjectId id, Difference d, DriftClass cls)
    {
        var secret = id.Kind == V1Secret.KubeKind && d.Segments.Count > 0 && d.Segments[0] is "data" or "stringData";
        var (expected, found) = ValueText.Describe(d.Expected, d.Found, secret);
        return new DriftFinding(id.Kind, id.Namespace, id.Name, d.Path, expected, found, cls, d.Change);
    }
}
