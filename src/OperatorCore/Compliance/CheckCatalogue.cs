using HipaaMongo.Operator.Compliance.Checks;

namespace HipaaMongo.Operator.Compliance;

/// <summary>
/// One check: a stable id, what it proves, the observation that proves it (read from a live system, never the
/// operator's own configuration), the fact whose presence fails it, and the pure rule.
/// </summary>
public sealed record CheckDefinition(string Id, string Proves, string Observation, string FailsWhen, Func<Observation, Finding> Evaluate);

/// <summary>Every check the evaluator runs, in report order. FailsWhen is the rule's name. docs/compliance.md says why each observation proves its claim.</summary>
public static class CheckCatalogue
{
    public static IReadOnlyList<CheckDefinition> All { get; } =
    [
        new("tls-mode", "every member requires TLS on every connection",
            "getParameter tlsMode on each member",
            nameof(TransportChecks.TlsModeIsNotRequireTls), TransportChecks.TlsModeIsNotRequireTls),
        new("tls-protocols", "TLS 1.0 and 1.1 are refused",
            "getCmdLineOpts parsed.net.tls.disabledProtocols on each member",
            nameof(TransportChecks.LegacyTlsProtocolsAreEnabled), TransportChecks.LegacyTlsProtocolsAreEnabled),
        new("tls-peer-validation", "invalid certificates and host names are rejected",
            "getCmdLineOpts parsed.net.tls.allowInvalidCertificates/allowInvalidHostnames on each member",
            nameof(TransportChecks.InvalidCertificatesAreAccepted), TransportChecks.InvalidCertificatesAreAccepted),
        new("tls-certificate-valid", "no certificate issued or served has expired",
            "cert-manager Certificate status.notAfter, and serverStatus.security.SSLServerCertificateExpirationDate on each member",
            nameof(TransportChecks.CertificateIsExpired), TransportChecks.CertificateIsExpired),
        new("certificates-as-rendered", "every certificate is requested as rendered: no CA flag, names, addresses or usages added",
            "each cert-manager Certificate from the Kubernetes API, compared whole with the render as the API server stores it",
            nameof(TransportChecks.CertificateDiffersFromRendered), TransportChecks.CertificateDiffersFromRendered),
        new("authorization", "access control is enforced",
            "getCmdLineOpts parsed.security.authorization (and transitionToAuth) on each member",
            nameof(AuthenticationChecks.AuthorizationIsNotEnabled), AuthenticationChecks.AuthorizationIsNotEnabled),
        new("member-x509", "members authenticate each other with x.509",
            "getParameter clusterAuthMode on each member",
            nameof(AuthenticationChecks.ClusterAuthModeIsNotX509), AuthenticationChecks.ClusterAuthModeIsNotX509),
        new("localhost-bypass", "the localhost exception is off",
            "getParameter enableLocalhostAuthBypass on each member",
            nameof(AuthenticationChecks.LocalhostAuthBypassIsEnabled), AuthenticationChecks.LocalhostAuthBypassIsEnabled),
        new("server-side-js", "server-side JavaScript is off",
            "getCmdLineOpts parsed.security.javascriptEnabled on each member",
            nameof(AuthenticationChecks.ServerSideJavascriptIsEnabled), AuthenticationChecks.ServerSideJavascriptIsEnabled),
        new("declared-users", "only declared users exist, holding only their declared roles",
            "usersInfo {forAllDBs: true} on each member",
            nameof(AuthenticationChecks.UsersExistOutsideDeclaredSet), AuthenticationChecks.UsersExistOutsideDeclaredSet),
        new("declared-roles", "only declared roles exist",
            "rolesInfo on admin and every other database of each member",
            nameof(AuthenticationChecks.RolesExistOutsideDeclaredSet), AuthenticationChecks.RolesExistOutsideDeclaredSet),
        new("audit-enabled", "the audit log is on",
            "getCmdLineOpts parsed.auditLog.destination, and Percona auditGetOptions, on each member",
            nameof(AuditChecks.AuditLogIsDisabled), AuditChecks.AuditLogIsDisabled),
        new("audit-filter", "the audit filter in force is the rendered HIPAA filter",
            "getCmdLineOpts parsed.auditLog.filter, and the runtime audit configuration (Enterprise getClusterParameter auditConfig, Percona auditGetOptions), on each member",
            nameof(AuditChecks.AuditFilterDiffersFromRendered), AuditChecks.AuditFilterDiffersFromRendered),
        new("log-redaction", "client data is redacted from diagnostic logs",
            "getParameter redactClientLogData on each member",
            nameof(AuditChecks.ClientLogDataIsNotRedacted), AuditChecks.ClientLogDataIsNotRedacted),
        new("encryption-at-rest", "the storage engine encrypts data at rest",
            "serverStatus.encryptionAtRest.encryptionEnabled (PSMDB 8.0.12-4+), else getCmdLineOpts parsed.security.enableEncryption, on each member",
            nameof(EncryptionChecks.EncryptionAtRestIsDisabled), EncryptionChecks.EncryptionAtRestIsDisabled),
        new("encryption-cipher", "data at rest uses authenticated encryption (AES256-GCM)",
            "serverStatus.encryptionAtRest.encryptionCipherMode (PSMDB 8.0.12-4+), else getCmdLineOpts parsed.security.encryptionCipherMode, on each member",
            nameof(EncryptionChecks.CipherIsNotAuthenticated), EncryptionChecks.CipherIsNotAuthenticated),
        new("kmip-master-key", "the master key in use is held by the KMIP server (and is the declared key, when one is declared)",
            "the key id each member reports it runs with: serverStatus.encryptionAtRest.encryptionKeyId (PSMDB 8.0.12-4+); never the configuration",
            nameof(EncryptionChecks.MasterKeyIsNotHeldByKmip), EncryptionChecks.MasterKeyIsNotHeldByKmip),
        new("default-deny-present", "the default-deny NetworkPolicy exists",
            "the NetworkPolicy read from the Kubernetes API",
            nameof(KubernetesChecks.DefaultDenyPolicyIsMissing), KubernetesChecks.DefaultDenyPolicyIsMissing),
        new("default-deny-unmodified", "the default-deny NetworkPolicy is as rendered",
            "the NetworkPolicy spec read from the Kubernetes API, compared with the render",
            nameof(KubernetesChecks.DefaultDenyPolicyWasModified), KubernetesChecks.DefaultDenyPolicyWasModified),
        new("no-extra-policy", "no other NetworkPolicy opens the members",
            "every NetworkPolicy in the namespace read from the Kubernetes API, matched against the member pods",
            nameof(KubernetesChecks.ExtraPolicyOpensPods), KubernetesChecks.ExtraPolicyOpensPods),
        new("pod-security", "members run as rendered: non-root, no privilege escalation, no host namespaces or hostPath",
            "the live StatefulSet pod template from the Kubernetes API, compared whole with the render as the API server stores it (a dry-run)",
            nameof(KubernetesChecks.PodTemplateDiffersFromRendered), KubernetesChecks.PodTemplateDiffersFromRendered),
        new("server-build", "every member runs the declared MongoDB version and edition",
            "buildInfo version, modules (enterprise) and psmdbVersion (Percona) on each member",
            nameof(BuildChecks.BuildDiffersFromDeclared), BuildChecks.BuildDiffersFromDeclared),
        new("replica-set-hosts", "the replica set replicates only to the declared members",
            "replSetGetConfig members[].host on each member, compared with the member DNS names the certificates carry",
            nameof(AvailabilityChecks.UndeclaredHostsAreInReplicaSetConfig), AvailabilityChecks.UndeclaredHostsAreInReplicaSetConfig),
        new("replica-members", "every declared member exists and is healthy in the replica set (availability, outside the verdict: not a backup)",
            "the member count, and replSetGetStatus members[self] on each member",
            nameof(AvailabilityChecks.ReplicaSetIsMissingMembers), AvailabilityChecks.ReplicaSetIsMissingMembers),
    ];

    /// <summary>Checks no control reads: reported, but outside the verdict (replica health is not a backup).</summary>
    public static IReadOnlyList<CheckDefinition> OutsideTheVerdict { get; } =
        [.. All.Where(c => !ControlCatalogue.All.Any(control => control.CheckIds.Contains(c.Id)))];

    public static CheckDefinition Get(string id) =>
        All.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"no check '{id}'");
}
