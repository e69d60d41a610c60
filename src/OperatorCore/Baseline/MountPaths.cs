namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// Where files live inside the mongod pod. The mongod.conf and the pod spec both use these,
/// so a path can never disagree between the config and the volume that provides it.
/// </summary>
public static class MountPaths
{
    public const string DataDir = "/data/db";
    /// <summary>Writable copy of the config (owner-only), needed by __exec expansion (secure-baseline.md 6).</summary>
    public const string ConfigDir = "/etc/mongodb/config";
    public const string ConfigSourceDir = "/etc/mongodb/config-src";
    public const string ConfigFile = ConfigDir + "/mongod.conf";
    public const string LdapConfFile = ConfigDir + "/ldap.conf";
    public const string TlsDir = "/etc/mongodb/tls";
    public const string TlsCombinedPem = TlsDir + "/tls-combined.pem";
    public const string TlsCa = TlsDir + "/ca.crt";
    public const string KmipCaDir = "/etc/mongodb/kmip-ca";
    public const string KmipClientDir = "/etc/mongodb/kmip";
    /// <summary>Where an externally managed kubernetes.io/tls KMIP client Secret is mounted for concatenation.</summary>
    public const string KmipClientSourceDir = "/etc/mongodb/kmip-src";
    public const string LdapCaDir = "/etc/mongodb/ldap-ca";
    public const string LdapBindDir = "/etc/mongodb/ldap-bind";
    public const string TmpDir = "/tmp";
    public const int MongodPort = 27017;

    /// <summary>The absolute audit log path for a path relative to the data volume.</summary>
    public static string AuditLog(string relative) => DataDir + "/" + relative;

    /// <summary>The directory holding the audit log, created before mongod starts.</summary>
    public static string AuditDir(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? DataDir : DataDir + "/" + relative[..slash];
    }
}
