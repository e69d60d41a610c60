namespace HipaaMongo.Operator.Compliance;

/// <summary>
/// One member's verification. Unreachable, unread (Parameters null) or stale members make their checks Unknown.
/// </summary>
public sealed record MemberFinding(string Name, bool Reachable, DateTimeOffset? ObservedAt, MemberParameters? Parameters)
{
    /// <summary>Why the member could not be verified, as the verification named it (its real cause), when it could not.</summary>
    public string? Failure { get; init; }
}

/// <summary>
/// Parameters read from one mongod (getParameter, getCmdLineOpts.parsed, usersInfo/rolesInfo, replSetGetStatus).
/// A null field was not read and makes its check Unknown. Options the baseline requires to be absent are
/// reported as their effective value (absent allowInvalidCertificates is false).
/// </summary>
public sealed record MemberParameters
{
    public string? TlsMode { get; init; }
    /// <summary>parsed.net.tls.disabledProtocols, comma separated.</summary>
    public string? DisabledProtocols { get; init; }
    public bool? AllowInvalidCertificates { get; init; }
    public bool? AllowInvalidHostnames { get; init; }
    public string? ClusterAuthMode { get; init; }
    public string? Authorization { get; init; }
    public bool? RedactClientLogData { get; init; }
    public bool? AuditEnabled { get; init; }
    public string? AuditFilter { get; init; }
    public bool? EncryptionEnabled { get; init; }
    public string? EncryptionCipherMode { get; init; }
    /// <summary>
    /// The KMIP key id the member itself reports it runs with (PSMDB serverStatus.encryptionAtRest.encryptionKeyId).
    /// Empty when the member shows it holds no KMIP key (encryption off, a local key file, no KMIP server in its
    /// startup options). Null when the member does not report its key (MongoDB Enterprise, PSMDB before 8.0.12-4):
    /// the configuration alone never proves custody. Never shown.
    /// </summary>
    public string? KmipKeyId { get; init; }
    /// <summary>
    /// The KMIP State of <see cref="KmipKeyId"/> as the operator's own probe read it from the KMIP server (Active,
    /// Deactivated, ..., or Absent). Null when not read (no probe this verification, the server unreachable): custody
    /// then cannot pass.
    /// </summary>
    public string? KmipKeyState { get; init; }
    public bool? JavascriptEnabled { get; init; }
    public bool? EnableLocalhostAuthBypass { get; init; }
    /// <summary>usersInfo users not in the declared set (db.user).</summary>
    public IReadOnlyList<string>? UsersOutsideDeclaredSet { get; init; }
    /// <summary>rolesInfo roles not in the declared set.</summary>
    public IReadOnlyList<string>? RolesOutsideDeclaredSet { get; init; }
    /// <summary>
    /// How the running build differs from spec.version and spec.edition (buildInfo); empty when it is the declared
    /// build, null when not read.
    /// </summary>
    public IReadOnlyList<string>? BuildDifferences { get; init; }

    /// <summary>replSetGetStatus: this member is healthy in the replica set.</summary>
    public bool? ReplicaHealthy { get; init; }

    /// <summary>serverStatus.security.SSLServerCertificateExpirationDate: the expiry of the certificate the member serves.</summary>
    public DateTimeOffset? ServedCertificateNotAfter { get; init; }

    /// <summary>
    /// The declared $external users (operator, verifier) whose granted roles are not exactly the declared role
    /// (db.user). Null when not read; the users check then relies on <see cref="UsersOutsideDeclaredSet"/>.
    /// </summary>
    public IReadOnlyList<string>? DeclaredUsersWithOtherGrants { get; init; }

    /// <summary>
    /// What the runtime audit configuration (Enterprise getClusterParameter auditConfig, Percona auditGetOptions)
    /// shows that differs from the rendered audit settings ("filter", "auditAuthorizationSuccess", "destination").
    /// Null when not read (7.0, or a Percona build without auditGetOptions): the startup options then decide.
    /// </summary>
    public IReadOnlyList<string>? RuntimeAuditDifferences { get; init; }

    /// <summary>
    /// replSetGetConfig members[].host values that are not a member DNS name:port the certificates carry. Null when
    /// not read; the availability check then relies on <see cref="ReplicaHealthy"/>.
    /// </summary>
    public IReadOnlyList<string>? ReplicaHostsOutsideCertificates { get; init; }
}
