using k8s.Models;

namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// Volumes and mounts of the mongod pod. Every Secret is mounted as a whole directory (no subPath),
/// read-only, readable by owner and group only (0440 with fsGroup, secure-baseline.md 2.2, 8.2).
/// </summary>
internal static class PodVolumes
{
    public const string Data = "data";
    public const string Config = "config";
    public const string ConfigSource = "config-src";
    public const string Tls = "member-tls";
    public const string KmipCa = "kmip-ca";
    public const string KmipClient = "kmip-client";
    public const string KmipClientSource = "kmip-client-src";
    public const string LdapCa = "ldap-ca";
    public const string LdapBind = "ldap-bind";
    public const string Tmp = "tmp";

    /// <summary>0440: readable by the mongod user (group via fsGroup) and nobody else.</summary>
    public const int SecretMode = 288;

    /// <summary>
    /// True when the KMIP client cert comes from an existing kubernetes.io/tls Secret: mongod wants
    /// key and certificate in one file, so the init container concatenates them at pod start.
    /// </summary>
    public static bool ConcatenatesKmipClient(BaselineModel m) => m.Kmip.ClientIssuerRef is null;

    public static List<V1Volume> Volumes(BaselineModel m)
    {
        var volumes = new List<V1Volume>
        {
            new() { Name = ConfigSource, ConfigMap = new V1ConfigMapVolumeSource { Name = Names.ConfigMap(m.Name), DefaultMode = SecretMode } },
            MemoryVolume(Config),
            new() { Name = Tmp, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } },
            MemberTlsVolume(m),
            SecretVolume(KmipCa, m.Kmip.ServerCaSecret, (m.Kmip.ServerCaKey, "ca.crt")),
        };
        if (ConcatenatesKmipClient(m))
        {
            volumes.Add(SecretVolume(KmipClientSource, m.Kmip.ClientSecret!));
            volumes.Add(MemoryVolume(KmipClient));
        }
        else
        {
            // cert-manager's CombinedPEM output is already key + chain (secure-baseline.md 2.4).
            volumes.Add(SecretVolume(KmipClient, Names.KmipClientSecret(m.Name)));
        }

        if (m.Ldap is { } ldap)
        {
            volumes.Add(SecretVolume(LdapCa, ldap.CaSecret, (ldap.CaKey, "ca.crt")));
            volumes.Add(SecretVolume(LdapBind, ldap.BindPasswordSecret, (ldap.BindPasswordKey, "password")));
        }

        return volumes;
    }

    public static List<V1VolumeMount> MongodMounts(BaselineModel m)
    {
        var mounts = new List<V1VolumeMount>
        {
            new() { Name = Data, MountPath = MountPaths.DataDir },
            ReadOnly(Config, MountPaths.ConfigDir),
            new() { Name = Tmp, MountPath = MountPaths.TmpDir },
            ReadOnly(Tls, MountPaths.TlsDir),
            ReadOnly(KmipCa, MountPaths.KmipCaDir),
            ReadOnly(KmipClient, MountPaths.KmipClientDir),
        };
        if (m.Ldap is not null)
        {
            mounts.Add(ReadOnly(LdapCa, MountPaths.LdapCaDir));
            mounts.Add(ReadOnly(LdapBind, MountPaths.LdapBindDir));
        }

        return mounts;
    }

    public static List<V1VolumeMount> InitMounts(BaselineModel m)
    {
        var mounts = new List<V1VolumeMount>
        {
            ReadOnly(ConfigSource, MountPaths.ConfigSourceDir),
            new() { Name = Config, MountPath = MountPaths.ConfigDir },
            new() { Name = Data, MountPath = MountPaths.DataDir },
        };
        if (ConcatenatesKmipClient(m))
        {
            mounts.Add(ReadOnly(KmipClientSource, MountPaths.KmipClientSourceDir));
            mounts.Add(new() { Name = KmipClient, MountPath = MountPaths.KmipClientDir });
        }

        return mounts;
    }

    /// <summary>
    /// The init container's script: private config copy, audit directory, KMIP PEM when needed. It must run
    /// again in the same pod (a recreated sandbox re-runs init containers) as UID 1001 with no capability,
    /// where the 0400 files of the first run cannot be opened for writing: so each file is removed first
    /// (the directory is writable), and the umask makes every new file 0400 from its creation on.
    /// </summary>
    public static string InitScript(BaselineModel m)
    {
        var steps = new List<string>
        {
            $"mkdir -p {MountPaths.AuditDir(m.Audit.Path)}",
            "umask 0377",
            $"rm -f {MountPaths.ConfigDir}/*",
            $"cp {MountPaths.ConfigSourceDir}/* {MountPaths.ConfigDir}/",
            $"chmod 0400 {MountPaths.ConfigDir}/*",
        };
        if (ConcatenatesKmipClient(m))
        {
            var pem = MountPaths.KmipClientDir + "/tls-combined.pem";
            steps.Add($"rm -f {pem}");
            steps.Add($"cat {MountPaths.KmipClientSourceDir}/tls.key {MountPaths.KmipClientSourceDir}/tls.crt > {pem}");
            steps.Add($"chmod 0400 {pem}");
        }

        return string.Join(" && ", steps);
    }

    /// <summary>The key cert-manager's CombinedPEM output writes (key and chain in one file, net.tls.certificateKeyFile).</summary>
    public const string CombinedPemKey = "tls-combined.pem";

    /// <summary>The key of the trust bundle ConfigMap mounted as net.tls.CAFile.</summary>
    public const string CaKey = "ca.crt";

    /// <summary>
    /// The member certificate and the trust bundle in one projected volume: the kubelet writes both sources in one atomic
    /// swap (AtomicWriter), so a member that serves a certificate read the CA file of the same sync or a later one
    /// (docs/certificates.md). The CA file is the operator's bundle, not the ca.crt cert-manager writes beside the leaf,
    /// so trust can hold the previous CA while the leaf moves to a new one.
    /// </summary>
    private static V1Volume MemberTlsVolume(BaselineModel m) => new()
    {
        Name = Tls,
        Projected = new V1ProjectedVolumeSource
        {
            DefaultMode = SecretMode,
            Sources =
            [
                new V1VolumeProjection
                {
                    Secret = new V1SecretProjection { Name = Names.MemberSecret(m.Name), Items = [new V1KeyToPath { Key = CombinedPemKey, Path = CombinedPemKey }] },
                },
                new V1VolumeProjection
                {
                    ConfigMap = new V1ConfigMapProjection { Name = Names.CaBundle(m.Name), Items = [new V1KeyToPath { Key = CaKey, Path = CaKey }] },
                },
            ],
        },
    };

    private static V1Volume MemoryVolume(string name) => new()
    {
        Name = name,
        EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") },
    };

    /// <summary>
    /// A whole-Secret volume; an item maps a user-chosen key to the file name mongod.conf expects.
    /// Items are a projection of the volume, not a subPath mount, so updates still propagate.
    /// </summary>
    private static V1Volume SecretVolume(string name, string secretName, (string Key, string Path)? item = null) => new()
    {
        Name = name,
        Secret = new V1SecretVolumeSource
        {
            SecretName = secretName,
            DefaultMode = SecretMode,
            Items = item is { } i ? [new V1KeyToPath { Key = i.Key, Path = i.Path }] : null,
        },
    };

    private static V1VolumeMount ReadOnly(string name, string path) => new()
    {
        Name = name,
        MountPath = path,
        ReadOnlyProperty = true,
    };
}
