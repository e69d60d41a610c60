using HipaaMongo.MongodSimulator.Server;

namespace HipaaMongo.MongodSimulator.Config;

/// <summary>Cross-option rules mongod checks at startup before it listens (texts in mongod's words where known).</summary>
internal static class ConfigValidator
{
    private static readonly string[] TlsModes = ["disabled", "allowTLS", "preferTLS", "requireTLS"];
    private static readonly string[] Protocols = ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"];
    private static readonly string[] ClusterAuthModes = ["keyFile", "sendKeyFile", "sendX509", "x509"];

    public static void Validate(MongodConfig c, SimulatorProfile profile)
    {
        ValidateNet(c);
        ValidateSecurity(c);
        ValidateAudit(c);
        if (c.Get("operationProfiling.mode") is { } mode && mode.AsString is not ("off" or "slowOp" or "all"))
        {
            throw new MongodConfigException($"Bad value for operationProfiling.mode: {mode.AsString}");
        }

        _ = new ParameterStore(c, profile);
    }

    private static void ValidateNet(MongodConfig c)
    {
        if (c.Get("net.bindIp") is not null && c.BindIpAll)
        {
            throw new MongodConfigException("Only one of --bind_ip or --bind_ip_all may be specified");
        }

        if (!TlsModes.Contains(c.TlsMode))
        {
            throw new MongodConfigException($"unsupported value for tlsMode {c.TlsMode}");
        }

        if (c.TlsMode != "disabled" && c.CertificateKeyFile is null)
        {
            throw new MongodConfigException("need tlsCertificateKeyFile or certificateSelector when TLS is enabled");
        }

        if (c.GetString("net.tls.disabledProtocols") is { } dp && dp != "none"
            && dp.Split(',').FirstOrDefault(p => !Protocols.Contains(p)) is { } bad)
        {
            throw new MongodConfigException($"Unrecognized disabledProtocols '{bad}'");
        }

        if (c.GetString("net.tls.clusterCAFile") is not null && c.CAFile is null)
        {
            throw new MongodConfigException("Specifying a tlsClusterCAFile requires a tlsCAFile");
        }

        if (c.Port is < 0 or > 65535)
        {
            throw new MongodConfigException($"net.port must be between 0 and 65535");
        }
    }

    private static void ValidateSecurity(MongodConfig c)
    {
        if (c.GetString("security.authorization") is { } a && a is not ("enabled" or "disabled"))
        {
            throw new MongodConfigException($"Invalid value for security.authorization: {a}");
        }

        if (c.ClusterAuthMode is { } mode)
        {
            if (!ClusterAuthModes.Contains(mode))
            {
                throw new MongodConfigException($"Unsupported value for clusterAuthMode {mode}");
            }

            if (mode is "sendX509" or "x509" && c.TlsMode == "disabled")
            {
                throw new MongodConfigException("need to enable TLS via the sslMode/tlsMode flag when using TLS-based clusterAuthMode");
            }
        }

        if (c.Get("security.enableEncryption")?.AsBoolean == true
            && c.GetString("security.encryptionKeyFile") is null
            && c.Get("security.kmip") is null && c.Get("security.vault") is null)
        {
            throw new MongodConfigException(
                "Must specify either an encryption key file or a KMIP server when enabling file encryption");
        }
    }

    private static void ValidateAudit(MongodConfig c)
    {
        if (c.Get("auditLog") is null)
        {
            return;
        }

        if (c.AuditDestination is not ("file" or "console" or "syslog"))
        {
            throw new MongodConfigException("auditLog.destination must be one of 'console', 'syslog', or 'file'");
        }

        if (c.AuditDestination == "file" && c.AuditPath is null)
        {
            throw new MongodConfigException("auditLog.path must be specified when auditLog.destination is to a file");
        }

        if (c.AuditFormat is { } f && f is not ("JSON" or "BSON"))
        {
            throw new MongodConfigException("auditLog.format must be either 'JSON' or 'BSON'");
        }

        if (c.Get("auditLog.runtimeConfiguration")?.AsBoolean == true)
        {
            if (c.AuditFilter is not null)
            {
                throw new MongodConfigException("auditLog.filter must not be specified when auditLog.runtimeConfiguration is enabled");
            }

            if (c.SetParameters.ContainsKey("auditAuthorizationSuccess"))
            {
                throw new MongodConfigException(
                    "auditAuthorizationSuccess may not be specified as a setParameter when auditLog.runtimeConfiguration is enabled");
            }
        }
    }
}
