using HipaaMongo.Operator.Compliance;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// Builds the evaluator's <see cref="MemberParameters"/>. getParameter is authoritative for runtime values,
/// getCmdLineOpts.parsed for startup options, where an absent option is mongod's effective default
/// (secure-baseline.md 2.1, 6; MemberFinding.cs). A missing reply or a field of the wrong type stays null.
/// </summary>
internal static class ParameterReader
{
    public static MemberParameters Read(MemberSnapshot s, MemberExpectations expected)
    {
        var parsed = BsonRead.Document(BsonRead.At(s.CmdLineOpts, "parsed"));
        var p = s.Parameters;
        var audit = RuntimeAudit.Read(s.AuditConfig, expected);
        var encryption = EncryptionStatus.Read(s.ServerStatus);
        return new MemberParameters
        {
            TlsMode = BsonRead.String(BsonRead.At(p, "tlsMode")),
            // mongod disables TLS 1.0 by itself when 1.1+ is available (secure-baseline.md 2.1).
            DisabledProtocols = Startup(parsed, "net.tls.disabledProtocols", BsonRead.String, "TLS1_0"),
            AllowInvalidCertificates = Startup(parsed, "net.tls.allowInvalidCertificates", BsonRead.Bool, false),
            AllowInvalidHostnames = Startup(parsed, "net.tls.allowInvalidHostnames", BsonRead.Bool, false),
            ClusterAuthMode = BsonRead.String(BsonRead.At(p, "clusterAuthMode")),
            Authorization = Authorization(parsed),
            RedactClientLogData = BsonRead.Bool(BsonRead.At(p, "redactClientLogData")),
            // Percona's auditGetOptions shows the destination the audit system actually uses; none means auditing is off.
            AuditEnabled = parsed is null ? null : BsonRead.At(parsed, "auditLog.destination") is not null && audit.AuditingOn != false,
            // No filter means every event is audited: not the rendered filter, so shown as the empty string.
            AuditFilter = Startup(parsed, "auditLog.filter", BsonRead.String, ""),
            // Percona's serverStatus.encryptionAtRest is what the storage engine runs with; it overrides the options.
            EncryptionEnabled = encryption.Enabled == false ? false : Startup(parsed, "security.enableEncryption", BsonRead.Bool, false),
            EncryptionCipherMode = encryption is { Enabled: true, CipherMode: { } mode } ? mode : Startup(parsed, "security.encryptionCipherMode", BsonRead.String, "AES256-CBC"),
            KmipKeyId = KmipKeyId(encryption, parsed),
            JavascriptEnabled = Startup(parsed, "security.javascriptEnabled", BsonRead.Bool, true),
            EnableLocalhostAuthBypass = BsonRead.Bool(BsonRead.At(p, "enableLocalhostAuthBypass")),
            UsersOutsideDeclaredSet = Accounts.UsersOutside(s.UsersInfo, expected)?.Select(a => a.Name).ToList(),
            BuildDifferences = ServerBuild.Differences(s.BuildInfo, expected.Edition, expected.Version),
            RolesOutsideDeclaredSet = Accounts.RolesOutside(s, expected)?.Select(a => a.Name).ToList(),
            ReplicaHealthy = ReplicaState.Healthy(s.ReplSetStatus),
            ServedCertificateNotAfter = ReplicaState.TlsExpiry(s.ServerStatus),
            DeclaredUsersWithOtherGrants = Accounts.DeclaredWithOtherGrants(s.UsersInfo, expected)?.Select(a => a.Name).ToList(),
            RuntimeAuditDifferences = audit.Differences,
            ReplicaHostsOutsideCertificates = ReplicaHosts.Outside(s.ReplSetConfig, expected),
        };
    }

    /// <summary>The parsed value, the default when absent, null when parsed is missing or the type is wrong.</summary>
    private static T? Startup<T>(BsonDocument? parsed, string path, Func<BsonValue?, T?> read, T absent)
    {
        if (parsed is null)
        {
            return default;
        }

        var value = BsonRead.At(parsed, path);
        return value is null ? absent : read(value);
    }

    private static bool? StartupBool(BsonDocument? parsed, string path, bool absent) =>
        parsed is null ? null : BsonRead.At(parsed, path) is { } v ? BsonRead.Bool(v) : absent;

    // Internal authentication (keyFile or clusterAuthMode) turns authorization on by itself (secure-baseline.md
    // 2.2); transitionToAuth accepts unauthenticated clients, so authorization is then not enforced.
    private static string? Authorization(BsonDocument? parsed)
    {
        if (parsed is null)
        {
            return null;
        }

        if (StartupBool(parsed, "security.transitionToAuth", false) is not { } transition)
        {
            return null;
        }

        var value = BsonRead.At(parsed, "security.authorization");
        var internalAuth = BsonRead.At(parsed, "security.keyFile") is not null || BsonRead.At(parsed, "security.clusterAuthMode") is not null;
        var mode = value is null ? (internalAuth ? "enabled" : "disabled") : BsonRead.String(value);
        return mode is null ? null : transition ? $"{mode} but not enforced (transitionToAuth is true)" : mode;
    }

    // Only the member's own run-time report proves which key it holds (PSMDB serverStatus.encryptionAtRest); the
    // options prove nothing beyond what they configure, so without that report the key id stays null (Unknown). The
    // options may still prove the opposite: a member started without encryption, with a local key file or
    // without a KMIP server holds no KMIP key, so "" (Fail).
    private static string? KmipKeyId(EncryptionStatus runtime, BsonDocument? parsed)
    {
        if (runtime.Enabled == false || runtime.Key == KeySource.LocalKeyFile)
        {
            return "";
        }

        if (runtime is { Enabled: true, Key: KeySource.External, ExternalKeyId: { } reported })
        {
            return reported;
        }

        return StartsWithoutKmip(parsed) == true ? "" : null;
    }

    private static bool? StartsWithoutKmip(BsonDocument? parsed)
    {
        if (parsed is null || StartupBool(parsed, "security.enableEncryption", false) is not { } enabled)
        {
            return null;
        }

        return !enabled || BsonRead.At(parsed, "security.encryptionKeyFile") is not null || BsonRead.At(parsed, "security.kmip.serverName") is null;
    }
}
