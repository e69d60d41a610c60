using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Compliance;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members;

/// <summary>
/// What one member must show, derived purely from the baseline (secure-baseline.md 7.3, 7.4): the options,
/// the declared users and roles, the verifier role's privileges, the profiler level.
/// </summary>
public sealed record MemberExpectations
{
    public required string ReplicaSetName { get; init; }
    public required MongoEdition Edition { get; init; }

    /// <summary>spec.version, compared with what buildInfo reports (null: not compared).</summary>
    public string? Version { get; init; }

    public required IReadOnlyList<ExpectedOption> Options { get; init; }

    /// <summary>$external user names (RFC 2253 subjects) of the operator and verifier identities.</summary>
    public required string OperatorUser { get; init; }
    public required string VerifierUser { get; init; }

    /// <summary>The custom least-privilege verifier role, in admin.</summary>
    public string VerifierRole { get; init; } = "phiConfigVerifier";

    /// <summary>The custom operator role (setParameter, rotateCertificates, profiler resets, user/role management), in admin.</summary>
    public string OperatorRole { get; init; } = Bootstrap.MemberRoles.OperatorRole;

    /// <summary>
    /// "host:port" of every member as the bootstrapper initiates the set (pod DNS name from the headless Service,
    /// which the member certificate carries as a SAN). Empty: replSetGetConfig hosts are not compared.
    /// </summary>
    public IReadOnlyList<string> MemberHosts { get; init; } = [];

    /// <summary>Names passed to one batched getParameter.</summary>
    public required IReadOnlyList<string> RuntimeParameterNames { get; init; }

    /// <summary>
    /// The least scramSHA256IterationCount a member may run with: mongod's default, 15000 (secure-baseline.md 6,
    /// "&gt;= 15000"). The baseline does not render the option; a lower runtime value is raised back to this.
    /// </summary>
    public int MinimumScramSha256IterationCount { get; init; } = 15000;

    /// <summary>Users declared beyond the operator's own ("db.name"): <see cref="Analysis.DeclaredAccounts.Users"/>.</summary>
    public IReadOnlyList<string> DeclaredUsers { get; init; } = [];

    /// <summary>Custom roles declared in spec.roles ("db.name"): <see cref="Analysis.DeclaredAccounts.Roles"/>.</summary>
    public IReadOnlyList<string> DeclaredRoles { get; init; } = [];

    /// <summary>
    /// The admin roles spec.ldap.groupRoleMappings declares, one per group DN: the primary's verification creates a
    /// missing one and puts a changed one back (<see cref="Analysis.LdapGroupRoles"/>).
    /// </summary>
    public IReadOnlyList<LdapGroupRoleModel> LdapGroupRoles { get; init; } = [];
}

/// <summary>
/// The raw replies of one verification read, as documented shapes (BsonDocument). A null reply was not
/// obtained (the command failed); the analysis then reports the dependent settings as not read.
/// </summary>
public sealed record MemberSnapshot
{
    public BsonDocument? CmdLineOpts { get; init; }
    public BsonDocument? Parameters { get; init; }
    public BsonDocument? ServerStatus { get; init; }
    public BsonDocument? ReplSetStatus { get; init; }
    public BsonDocument? UsersInfo { get; init; }
    public BsonDocument? RolesInfo { get; init; }

    /// <summary>
    /// rolesInfo (showPrivileges, no built-ins) on every other database whose roles are read, keyed by name; a null
    /// value is a database whose reply was not obtained (then no role list is read at all). rolesInfo: 1 lists only
    /// the roles of the database it runs on (manual, rolesInfo).
    /// </summary>
    public IReadOnlyDictionary<string, BsonDocument?>? RolesInfoByDatabase { get; init; }

    /// <summary>replSetGetConfig: {config: {_id, version, members: [{_id, host, ...}], ...}, ok}.</summary>
    public BsonDocument? ReplSetConfig { get; init; }

    /// <summary>Reply of {profile: -1} on each database the member lists, keyed by database name.</summary>
    public IReadOnlyDictionary<string, BsonDocument>? ProfileLevels { get; init; }

    /// <summary>Enterprise getClusterParameter auditConfig, or Percona auditGetOptions.</summary>
    public BsonDocument? AuditConfig { get; init; }

    /// <summary>buildInfo: {version, modules, psmdbVersion (Percona), ...}.</summary>
    public BsonDocument? BuildInfo { get; init; }
}

/// <summary>One command to run as the operator to put a runtime setting back, and why.</summary>
public sealed record PlannedCorrection(string Setting, string Found, string Desired, string Database, BsonDocument Command);

/// <summary>The pure reading of a snapshot: the evaluator's parameters, the member's state and the drift.</summary>
public sealed record MemberAnalysis(
    MemberParameters Parameters,
    MemberRole Role,
    bool ReplicaHealthy,
    DateTimeOffset? TlsExpiry,
    IReadOnlyList<PlannedCorrection> Corrections,
    IReadOnlyList<string> Uncorrectable);
