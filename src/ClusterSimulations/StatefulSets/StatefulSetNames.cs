using System.Globalization;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>The names and labels the StatefulSet controller gives pods, claims and revisions.</summary>
public static class StatefulSetNames
{
    public const string RevisionLabel = "controller-revision-hash";
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    /// <summary>Pod of an ordinal: &lt;set&gt;-&lt;ordinal&gt;.</summary>
    public static string Pod(string set, int ordinal) => string.Create(CultureInfo.InvariantCulture, $"{set}-{ordinal}");

    /// <summary>Claim of a template and ordinal: &lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;.</summary>
    public static string Claim(string template, string set, int ordinal) => $"{template}-{Pod(set, ordinal)}";

    /// <summary>The ordinal of a pod named &lt;set&gt;-&lt;n&gt;, or null when the name is not the set's.</summary>
    public static int? Ordinal(string set, string? podName)
    {
        if (podName is null || !podName.StartsWith(set + "-", StringComparison.Ordinal))
        {
            return null;
        }
        var suffix = podName[(set.Length + 1)..];
        return int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n.ToString(CultureInfo.InvariantCulture) == suffix ? n : null;
    }

    /// <summary>
    /// The revision name &lt;set&gt;-&lt;hash&gt; of the set's current template, as the ControllerRevision the
    /// real controller would record for it (<see cref="StatefulSetRevisions"/>).
    /// </summary>
    public static string Revision(V1StatefulSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var hash = StatefulSetRevisions.Hash(StatefulSetRevisions.Patch(set), set.Status?.CollisionCount ?? 0);
        return StatefulSetRevisions.Name(set.Metadata.Name, hash);
    }

    internal static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
