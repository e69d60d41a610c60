using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Baseline;

/// <summary>Editions an option applies to.</summary>
[Flags]
public enum EditionSet
{
    Enterprise = 1,
    Percona = 2,
    All = Enterprise | Percona,
}

/// <summary>How a locked option must appear in the rendered config and in the live process.</summary>
public enum LockKind
{
    /// <summary>Rendered with exactly this value; the live value must equal it.</summary>
    Required,

    /// <summary>Never rendered; the live value must be absent or equal to the (safe) value.</summary>
    AbsentOrSafe,
}

/// <summary>
/// One mongod option that no spec field can change. <see cref="Value"/> is a bool, int or string,
/// typed as mongod declares it (e.g. security.kmip.port is an Int, docs/baseline.md), so the live value compares.
/// </summary>
public sealed record LockedOption(
    string Path,
    object Value,
    EditionSet Editions,
    string Reference,
    string? RuntimeParameter = null,
    LockKind Kind = LockKind.Required)
{
    public bool AppliesTo(MongoEdition edition) =>
        Editions.HasFlag(edition == MongoEdition.Enterprise ? EditionSet.Enterprise : EditionSet.Percona);
}

/// <summary>
/// THE table of locked mongod options (secure-baseline.md 8.1, with 2.1, 2.2, 3.1, 4.4, 6).
/// The config renderer writes every Required entry; the verifier compares live processes with
/// the same entries (RuntimeParameter names the getParameter to read when it is runtime-settable).
/// </summary>
public static class LockedOptions
{
    public static IReadOnlyList<LockedOption> All { get; } =
    [
        new("storage.dbPath", MountPaths.DataDir, EditionSet.All, "8.1"),
        new("net.port", MountPaths.MongodPort, EditionSet.All, "8.1"),
        // Pods are reached through NetworkPolicy-guarded pod IPs (secure-baseline.md 6, 8.2).
        new("net.bindIpAll", true, EditionSet.All, "2.7, 6"),
        new("net.tls.mode", "requireTLS", EditionSet.All, "2.1", RuntimeParameter: "tlsMode"),
        new("net.tls.certificateKeyFile", MountPaths.TlsCombinedPem, EditionSet.All, "2.1, 2.5"),
        new("net.tls.CAFile", MountPaths.TlsCa, EditionSet.All, "2.1"),
        new("net.tls.allowConnectionsWithoutCertificates", false, EditionSet.All, "2.1, 8.1"),
        new("net.tls.disabledProtocols", "TLS1_0,TLS1_1", EditionSet.All, "2.1"),
        new("net.tls.allowInvalidCertificates", false, EditionSet.All, "2.1", Kind: LockKind.AbsentOrSafe),
        new("net.tls.allowInvalidHostnames", false, EditionSet.All, "2.1", Kind: LockKind.AbsentOrSafe),
        new("net.wireObjectCheck", true, EditionSet.All, "6", Kind: LockKind.AbsentOrSafe),
        new("security.authorization", "enabled", EditionSet.All, "6"),
        new("security.clusterAuthMode", "x509", EditionSet.All, "2.2", RuntimeParameter: "clusterAuthMode"),
        new("security.transitionToAuth", false, EditionSet.All, "2.2", Kind: LockKind.AbsentOrSafe),
        new("security.javascriptEnabled", false, EditionSet.All, "6"),
        new("security.redactClientLogData", true, EditionSet.All, "6", RuntimeParameter: "redactClientLogData"),
        new("security.enableEncryption", true, EditionSet.All, "3.1, 3.2"),
        // GCM is authenticated encryption (integrity, 164.312(c)); both editions support it on Linux.
        new("security.encryptionCipherMode", "AES256-GCM", EditionSet.All, "3.1, 3.2"),
        new("security.encryptionKeyFile", "", EditionSet.All, "3.3", Kind: LockKind.AbsentOrSafe),
        new("security.kmip.serverCAFile", MountPaths.KmipCaDir + "/ca.crt", EditionSet.All, "3.1"),
        new("security.kmip.clientCertificateFile", MountPaths.KmipClientDir + "/tls-combined.pem", EditionSet.All, "3.1"),
        new("security.kmip.connectRetries", 3, EditionSet.All, "8.1"),
        new("security.kmip.connectTimeoutMS", 5000, EditionSet.All, "3.1"),
        new("security.kmip.activateKeys", true, EditionSet.All, "3.1, 3.2"),
        new("auditLog.destination", "file", EditionSet.All, "4.1, 4.4"),
        new("auditLog.format", "JSON", EditionSet.All, "4.4"),
        // A config-file filter is incompatible with runtime audit configuration (4.1).
        new("auditLog.runtimeConfiguration", false, EditionSet.Enterprise, "4.1", Kind: LockKind.AbsentOrSafe),
        // The profiler copies operations (PHI) into system.profile.
        new("operationProfiling.mode", "off", EditionSet.All, "6, 8.1"),
        new("setParameter.enableLocalhostAuthBypass", false, EditionSet.All, "6", RuntimeParameter: "enableLocalhostAuthBypass"),
        new("setParameter.tlsX509ExpirationWarningThresholdDays", 30, EditionSet.All, "2.1"),
        new("setParameter.authFailedDelayMs", 1000, EditionSet.Enterprise, "6"),
        new("setParameter.perconaTelemetry", false, EditionSet.Percona, "1, 6"),
    ];

    /// <summary>Locked options that apply only when LDAP is configured (secure-baseline.md 5.1).</summary>
    public static IReadOnlyList<LockedOption> Ldap { get; } =
    [
        // "none" would send bind and user credentials in clear text; "tls" is LDAPS (ldaps://) in both editions,
        // which know no StartTLS (docs/baseline.md).
        new("security.ldap.transportSecurity", "tls", EditionSet.All, "5.1"),
        new("security.ldap.bind.method", "simple", EditionSet.All, "5.1"),
        new("security.ldap.validateLDAPServerConfig", true, EditionSet.All, "5.1"),
    ];

    /// <summary>The locked entries that apply to an edition, in table order.</summary>
    public static IEnumerable<LockedOption> For(MongoEdition edition) => All.Where(o => o.AppliesTo(edition));

    /// <summary>The locked value at a path; throws when the path is not in the table (a programming error).</summary>
    public static object Value(string path) =>
        All.Concat(Ldap).FirstOrDefault(o => o.Path == path)?.Value
        ?? throw new KeyNotFoundException($"'{path}' is not a locked option");
}
