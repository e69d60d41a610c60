using System.Globalization;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>Builds the pods and claims of a StatefulSet as kube-controller-manager's StatefulSet controller does.</summary>
public static class StatefulSetObjects
{
    /// <summary>The pod of <paramref name="ordinal"/> at <paramref name="revision"/>.</summary>
    public static V1Pod Pod(V1StatefulSet set, int ordinal, string revision)
    {
        ArgumentNullException.ThrowIfNull(set);
        var name = StatefulSetNames.Pod(set.Metadata.Name, ordinal);
        var template = StatefulSetNames.Clone(set.Spec.Template);
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [StatefulSetNames.RevisionLabel] = revision,
            [StatefulSetNames.PodNameLabel] = name,
            [StatefulSetNames.PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture),
        };
        var spec = template.Spec;
        spec.Hostname = name;
        spec.Subdomain = set.Spec.ServiceName;
        spec.Volumes = [.. (spec.Volumes ?? []).Where(v => !(set.Spec.VolumeClaimTemplates ?? []).Any(t => t.Metadata.Name == v.Name))];
        foreach (var claim in set.Spec.VolumeClaimTemplates ?? [])
        {
            spec.Volumes.Add(new V1Volume
            {
                Name = claim.Metadata.Name,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource
                {
                    ClaimName = StatefulSetNames.Claim(claim.Metadata.Name, set.Metadata.Name, ordinal),
                },
            });
        }
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = set.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [Owner(set)],
            },
            Spec = spec,
        };
    }

    /// <summary>The claims of <paramref name="ordinal"/>, one per volumeClaimTemplate.</summary>
    public static IEnumerable<V1PersistentVolumeClaim> Claims(V1StatefulSet set, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(set);
        foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
        {
            // getPersistentVolumeClaims: the template's labels plus the set's selector labels, and no owner: the
            // retention policy's owners are added once the pod exists (ClaimOwnership).
            var labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>());
            foreach (var (k, v) in set.Spec.Selector?.MatchLabels ?? new Dictionary<string, string>())
            {
                labels[k] = v;
            }
            var spec = StatefulSetNames.Clone(template.Spec);
            spec.VolumeMode ??= "Filesystem";
            yield return new V1PersistentVolumeClaim
            {
                ApiVersion = "v1",
                Kind = "PersistentVolumeClaim",
                Metadata = new V1ObjectMeta
                {
                    Name = StatefulSetNames.Claim(template.Metadata.Name, set.Metadata.Name, ordinal),
                    NamespaceProperty = set.Metadata.NamespaceProperty,
                    Labels = labels,
                    Annotations = template.Metadata.Annotations,
                },
                Spec = spec,
            };
        }
    }

    /// <summary>The controller owner reference to <paramref name="set"/>.</summary>
    public static V1OwnerReference Owner(V1StatefulSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new V1OwnerReference
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Name = set.Metadata.Name,
            Uid = set.Metadata.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }

    /// <summary>
    /// A pod the set adopts (getPodsForStatefulSet: ClaimPods with isMemberOf; controller_ref_manager.go ClaimObject):
    /// one of its ordinals by name, with no controller, not being deleted. The set's selector already chose it, as
    /// the controller's list does. A set re-created after an orphaning delete takes its running pods back this way.
    /// </summary>
    public static bool IsOrphanMember(V1StatefulSet set, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Metadata.DeletionTimestamp is null
            && pod.Metadata.OwnerReferences?.Any(o => o.Controller == true) != true
            && StatefulSetNames.Ordinal(set.Metadata.Name, pod.Metadata.Name) is not null;
    }
}
