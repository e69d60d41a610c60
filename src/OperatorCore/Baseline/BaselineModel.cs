using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Baseline;

/// <summary>Which tier of the HIPAA audit filter (secure-baseline.md 4.4) is rendered.</summary>
public enum AuditTier
{
    /// <summary>Tier 1: security events and authorization denials only.</summary>
    Baseline,

    /// <summary>Tier 2: tier 1 plus successful reads and writes on the PHI namespaces.</summary>
    PhiAccess,
}

/// <summary>
/// Everything the baseline renderers need, already defaulted and validated. It is the seam between
/// the API types (HipaaMongo.Entities) and the pure renderers, so the renderers stay small and the
/// mapping from the spec lives in one place (<see cref="BaselineModelMapper"/>).
/// </summary>
public sealed record BaselineModel
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    /// <summary>The resource's uid; owner references are rendered only when it is known.</summary>
    public string? Uid { get; init; }
    public required MongoEdition Edition { get; init; }
    public required string Version { get; init; }
    public required string Image { get; init; }
    public int Members { get; init; } = 3;
    public required StorageModel Storage { get; init; }
    public ResourcesModel? Resources { get; init; }
    public required TlsModel Tls { get; init; }
    public required KmipModel Kmip { get; init; }
    public required AuditModel Audit { get; init; }
    public LdapModel? Ldap { get; init; }
    public NetworkModel Network { get; init; } = new();
}

public sealed record StorageModel(string Size, string? StorageClassName);

public sealed record ResourcesModel(
    IReadOnlyDictionary<string, string> Requests,
    IReadOnlyDictionary<string, string> Limits);

/// <summary>A cert-manager issuer reference (ecosystem-conventions.md 8).</summary>
public sealed record IssuerRefModel(string Name, string Kind = "Issuer", string Group = "cert-manager.io");

/// <summary>Certificate settings; without an issuer the baseline renders a namespaced CA chain.</summary>
public sealed record TlsModel
{
    public IssuerRefModel? IssuerRef { get; init; }
    public string Duration { get; init; } = "2160h";
    public string RenewBefore { get; init; } = "720h";
}

public sealed record HostPort(string Host, int Port);

/// <summary>Encryption at rest with a KMIP-held master key (secure-baseline.md 3.1).</summary>
public sealed record KmipModel
{
    public required IReadOnlyList<HostPort> Servers { get; init; }
    /// <summary>Secret holding the KMIP server CA under key ca.crt.</summary>
    public required string ServerCaSecret { get; init; }
    public string ServerCaKey { get; init; } = "ca.crt";
    /// <summary>cert-manager issuer for the KMIP client certificate; null when an existing Secret is used.</summary>
    public IssuerRefModel? ClientIssuerRef { get; init; }
    /// <summary>An existing kubernetes.io/tls Secret (tls.crt, tls.key), used when no issuer is given.</summary>
    public string? ClientSecret { get; init; }
    public string? KeyIdentifier { get; init; }
    public int KeyStatePollingSeconds { get; init; } = 900;
    /// <summary>The master-key rotation request (spec.encryption.kmip.masterKeyRotation.requestedAt), if any.</summary>
    public string? RotationRequestedAt { get; init; }
}

public sealed record AuditModel
{
    public AuditTier Tier { get; init; } = AuditTier.Baseline;
    /// <summary>PHI databases ("patients") or namespaces ("clinical.notes"); used by the PHIAccess tier.</summary>
    public IReadOnlyList<string> PhiNamespaces { get; init; } = [];
    /// <summary>The audit file, relative to the data volume (so it is encrypted with the data).</summary>
    public string Path { get; init; } = "audit/auditLog.json";
}

/// <summary>LDAP over TLS (secure-baseline.md 5).</summary>
public sealed record LdapModel
{
    /// <summary>
    /// host:port entries, always spoken as LDAPS: security.ldap.transportSecurity tls opens ldaps:// in both editions,
    /// and neither does StartTLS, which validation refuses (docs/baseline.md).
    /// </summary>
    public required IReadOnlyList<HostPort> Servers { get; init; }
    public required string BindDn { get; init; }
    public required string BindPasswordSecret { get; init; }
    public string BindPasswordKey { get; init; } = "password";
    public required string CaSecret { get; init; }
    public string CaKey { get; init; } = "ca.crt";
    /// <summary>JSON array text for security.ldap.userToDNMapping; null keeps mongod's default.</summary>
    public string? UserToDnMapping { get; init; }
    public string? AuthzQueryTemplate { get; init; }

    /// <summary>
    /// spec.ldap.groupRoleMappings: each group DN is an admin-database role of that name that inherits exactly these
    /// roles and grants no privilege of its own (mongod gives an LDAP user the roles named after its groups).
    /// </summary>
    public IReadOnlyList<LdapGroupRoleModel> GroupRoles { get; init; } = [];
}

/// <summary>One LDAP group's role: the group DN (the role's name in admin) and the roles it inherits.</summary>
public sealed record LdapGroupRoleModel(string Group, IReadOnlyList<RoleRef> Roles);

/// <summary>A role in a database, as a role document names it ({role, db}).</summary>
public sealed record RoleRef(string Role, string Db);

/// <summary>
/// A client allowed to reach port 27017, as NetworkPolicy peer selectors; without a namespace
/// selector the peer is in the resource's own namespace.
/// </summary>
public sealed record ClientPeerModel(k8s.Models.V1LabelSelector? NamespaceSelector, k8s.Models.V1LabelSelector? PodSelector);

public sealed record NetworkModel
{
    public IReadOnlyList<ClientPeerModel> AllowedClients { get; init; } = [];
}
