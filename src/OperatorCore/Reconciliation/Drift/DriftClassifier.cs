using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>Names a raw difference by what it means for the safeguards, from its kind and path.</summary>
internal static class DriftClassifier
{
    /// <summary>Volumes that carry certificates or keys: the member TLS pair and the KMIP and LDAP CAs.</summary>
    private static readonly HashSet<string> CertificateVolumes =
        [PodVolumes.Tls, PodVolumes.KmipCa, PodVolumes.KmipClient, PodVolumes.KmipClientSource, PodVolumes.LdapCa];

    private static readonly HashSet<string> CertificateMountPaths =
        [MountPaths.TlsDir, MountPaths.KmipCaDir, MountPaths.KmipClientDir, MountPaths.KmipClientSourceDir, MountPaths.LdapCaDir];

    private static readonly HashSet<string> ConfigVolumes = [PodVolumes.ConfigSource, PodVolumes.Config];

    private static readonly HashSet<string> ConfigMountPaths = [MountPaths.ConfigSourceDir, MountPaths.ConfigDir];

    private static readonly HashSet<string> HostNamespaces = ["hostNetwork", "hostPID", "hostIPC", "hostUsers"];

    private static readonly HashSet<string> ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    public static DriftClass Classify(string kind, Difference d)
    {
        var s = d.Segments;
        return kind switch
        {
            "NetworkPolicy" when FieldPath.StartsWith(s, "spec") => DriftClass.NetworkPolicyChanged,
            "ConfigMap" when FieldPath.StartsWith(s, "data") || FieldPath.StartsWith(s, "binaryData") => DriftClass.ConfigChanged,
            "Certificate" or "Issuer" or "ClusterIssuer" when FieldPath.StartsWith(s, "spec") => DriftClass.CertificateChanged,
            _ => Metadata(s) ?? PodSpec(d) ?? DriftClass.FieldChanged,
        };
    }

    private static DriftClass? Metadata(IReadOnlyList<string> s)
    {
        var labels = s.Contains("labels") && s.Contains("metadata");
        var annotations = s.Contains("annotations") && s.Contains("metadata");
        return labels ? DriftClass.LabelsChanged : annotations ? DriftClass.AnnotationsChanged : null;
    }

    private static DriftClass? PodSpec(Difference d)
    {
        var s = d.Segments;
        if (s.Count > 0 && (HostNamespaces.Contains(s[^1]) || (s[^1] == "hostPort" && s.Contains("ports"))))
        {
            return DriftClass.HostNamespace;
        }

        if (s.Contains("securityContext") || (s.Count > 0 && s[^1] == "shareProcessNamespace"))
        {
            return s[^1] == "privileged" ? DriftClass.PrivilegedEnabled : DriftClass.SecurityContextWeakened;
        }

        var list = s.Count >= 2 ? s[^2] : "";
        if (IsVolumeOrMount(s, CertificateVolumes, CertificateMountPaths))
        {
            return d.Change == DriftChange.Removed && s[^1].StartsWith('[') ? DriftClass.TlsVolumeRemoved : DriftClass.TlsVolumeChanged;
        }

        // The config volumes carry mongod.conf into the pod: re-pointing them changes the config.
        if (IsVolumeOrMount(s, ConfigVolumes, ConfigMountPaths))
        {
            return DriftClass.ConfigChanged;
        }

        // The whole list emptied or filled is named by the list itself.
        list = ContainerLists.Contains(s.Count > 0 ? s[^1] : "") ? s[^1] : list;
        return (list, d.Change) switch
        {
            (_, DriftChange.Added) when ContainerLists.Contains(list) => DriftClass.ContainerAdded,
            (_, DriftChange.Removed) when ContainerLists.Contains(list) => DriftClass.ContainerRemoved,
            ("volumes", DriftChange.Added) when d.Found?["hostPath"] is not null => DriftClass.HostPathVolume,
            ("volumes" or "volumeMounts", DriftChange.Added) => DriftClass.VolumeAdded,
            ("env", DriftChange.Added) => DriftClass.EnvAdded,
            _ => null,
        };
    }

    private static bool IsVolumeOrMount(IReadOnlyList<string> s, HashSet<string> volumes, HashSet<string> mountPaths)
    {
        for (var i = 1; i < s.Count; i++)
        {
            if ((s[i - 1] == "volumes" && volumes.Any(v => s[i] == FieldPath.Element("name", v)))
                || (s[i - 1] == "volumeMounts" && mountPaths.Any(p => s[i] == FieldPath.Element("mountPath", p))))
            {
                return true;
            }
        }

        return false;
    }
}
