namespace HipaaMongo.MongodSimulator.Config;

/// <summary>The value type of a mongod option, which decides its BSON type in getCmdLineOpts.parsed.</summary>
public enum OptionType
{
    String,
    Bool,
    Int,
    Double,
    StringList,
}

/// <summary>
/// The mongod.conf options the simulator knows (dotted names, as in the configuration-options manual).
/// Anything else is refused the way mongod refuses it ("Unrecognized option").
/// </summary>
internal static class OptionSchema
{
    private static readonly Dictionary<string, OptionType> Known = Build();

    /// <summary>Subtrees whose leaves are accepted with inferred types (component verbosities, WiredTiger tuning).</summary>
    private static readonly string[] OpenPrefixes = ["systemLog.component.", "storage.wiredTiger.", "storage.inMemory."];

    /// <summary>Options whose values getCmdLineOpts replaces with "&lt;password&gt;" (censor_cmdline.cpp).</summary>
    public static readonly HashSet<string> Redacted = new(StringComparer.Ordinal)
    {
        "net.tls.certificateKeyFilePassword", "net.tls.clusterPassword", "net.ssl.PEMKeyPassword",
        "net.ssl.clusterPassword", "security.ldap.bind.queryPassword", "security.kmip.clientCertificatePassword",
        "security.vault.token",
    };

    /// <summary>Enterprise / PSMDB-only subtrees, unknown to Community builds.</summary>
    public static readonly string[] CommercialPrefixes =
        ["security.enableEncryption", "security.encryption", "security.kmip.", "security.vault.", "security.ldap.",
         "security.redactClientLogData", "auditLog.", "net.tls.FIPSMode"];

    public static bool TryGet(string dotted, out OptionType type)
    {
        if (Known.TryGetValue(dotted, out type))
        {
            return true;
        }

        type = OptionType.String;
        return OpenPrefixes.Any(p => dotted.StartsWith(p, StringComparison.Ordinal));
    }

    private static Dictionary<string, OptionType> Build()
    {
        var d = new Dictionary<string, OptionType>(StringComparer.Ordinal);
        void Add(OptionType t, params string[] names)
        {
            foreach (var n in names)
            {
                d[n] = t;
            }
        }

        Add(OptionType.String, "systemLog.path", "systemLog.logRotate", "systemLog.destination", "systemLog.timeStampFormat",
            "processManagement.pidFilePath", "processManagement.timeZoneInfo",
            "net.bindIp", "net.serviceExecutor", "net.compression.compressors", "net.unixDomainSocket.pathPrefix",
            "net.tls.mode", "net.tls.certificateKeyFile", "net.tls.certificateKeyFilePassword", "net.tls.clusterFile",
            "net.tls.clusterPassword", "net.tls.CAFile", "net.tls.clusterCAFile", "net.tls.CRLFile",
            "net.tls.disabledProtocols", "net.tls.logVersions", "net.tls.certificateSelector",
            "net.tls.clusterCertificateSelector", "net.tls.clusterAuthX509.attributes", "net.tls.clusterAuthX509.extensionValue",
            "net.ssl.mode", "net.ssl.PEMKeyFile", "net.ssl.PEMKeyPassword", "net.ssl.clusterFile", "net.ssl.clusterPassword",
            "net.ssl.CAFile", "net.ssl.clusterCAFile", "net.ssl.CRLFile", "net.ssl.disabledProtocols",
            "security.keyFile", "security.clusterAuthMode", "security.authorization", "security.encryptionCipherMode",
            "security.encryptionKeyFile", "security.kmip.keyIdentifier", "security.kmip.serverName",
            "security.kmip.clientCertificateFile", "security.kmip.clientCertificatePassword",
            "security.kmip.clientCertificateSelector", "security.kmip.serverCAFile",
            "security.vault.serverName", "security.vault.tokenFile", "security.vault.token", "security.vault.secret",
            "security.vault.serverCAFile",
            "security.ldap.servers", "security.ldap.bind.method", "security.ldap.bind.saslMechanisms",
            "security.ldap.bind.queryUser", "security.ldap.bind.queryPassword", "security.ldap.transportSecurity",
            "security.ldap.userToDNMapping", "security.ldap.authz.queryTemplate", "security.sasl.hostName",
            "security.sasl.serviceName", "security.sasl.saslauthdSocketPath",
            "storage.dbPath", "storage.engine", "operationProfiling.mode", "operationProfiling.filter",
            "replication.replSetName", "sharding.clusterRole",
            "auditLog.destination", "auditLog.format", "auditLog.path", "auditLog.filter", "auditLog.schema");
        Add(OptionType.Bool, "systemLog.quiet", "systemLog.traceAllExceptions", "systemLog.logAppend",
            "processManagement.fork", "net.bindIpAll", "net.ipv6", "net.wireObjectCheck", "net.unixDomainSocket.enabled",
            "net.tls.allowConnectionsWithoutCertificates", "net.tls.allowInvalidCertificates",
            "net.tls.allowInvalidHostnames", "net.tls.FIPSMode", "net.ssl.allowConnectionsWithoutCertificates",
            "net.ssl.allowInvalidCertificates", "net.ssl.allowInvalidHostnames", "net.ssl.FIPSMode",
            "security.transitionToAuth", "security.javascriptEnabled", "security.redactClientLogData",
            "security.enableEncryption", "security.kmip.rotateMasterKey", "security.kmip.activateKeys",
            "security.kmip.useLegacyProtocol", "security.vault.rotateMasterKey", "security.ldap.bind.useOSDefaults",
            "security.ldap.validateLDAPServerConfig", "storage.journal.enabled", "storage.directoryPerDB",
            "replication.enableMajorityReadConcern", "auditLog.runtimeConfiguration");
        // security.kmip.port is an Int in both editions (PSMDB mongod_options_encryption.idl, Enterprise kmip_options):
        // the options parser converts "5696" to 5696, so getCmdLineOpts reports a number.
        Add(OptionType.Int, "systemLog.verbosity", "net.port", "net.maxIncomingConnections",
            "net.unixDomainSocket.filePermissions", "security.kmip.port", "security.kmip.connectRetries", "security.kmip.connectTimeoutMS",
            "security.kmip.keyStatePollingSeconds", "security.vault.port", "security.ldap.timeoutMS",
            "security.ldap.retryCount",
            "operationProfiling.slowOpThresholdMs", "replication.oplogSizeMB");
        Add(OptionType.Double, "storage.syncPeriodSecs", "operationProfiling.slowOpSampleRate");
        Add(OptionType.StringList, "security.clusterIpSourceAllowlist");
        return d;
    }
}
