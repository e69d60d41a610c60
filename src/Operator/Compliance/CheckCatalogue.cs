using HipaaMongo.Operator.Compliance.Checks;

namespace HipaaMongo.Operator.Compliance;

/// <summary>One check: a stable id, what it proves, the fact whose presence fails it, and the pure rule.</summary>
public sealed record CheckDefinition(string Id, string Proves, string FailsWhen, Func<Observation, Finding> Evaluate);

/// <summary>Every check the evaluator runs, in report order. FailsWhen is the rule's name.</summary>
public static class CheckCatalogue
{
    public static IReadOnlyList<CheckDefinition> All { get; } =
    [
        new("tls-mode", "every member requires TLS on every connection (getParameter tlsMode)",
            nameof(TransportChecks.TlsModeIsNotRequireTls), TransportChecks.TlsModeIsNotRequireTls),
        new("tls-protocols", "TLS 1.0 and 1.1 are refused (parsed.net.tls.disabledProtocols)",
            nameof(TransportChecks.LegacyTlsProtocolsAreEnabled), TransportChecks.LegacyTlsProtocolsAreEnabled),
        new("tls-peer-validation", "invalid certificates and host names are rejected (parsed.net.tls.allowInvalid*)",
            nameof(TransportChecks.InvalidCertificatesAreAccepted), TransportChecks.InvalidCertificatesAreAccepted),
        new("tls-certificate-valid", "no certificate in use has expired (cert-manager status.notAfter)",
            nameof(TransportChecks.CertificateIsExpired), TransportChecks.CertificateIsExpired),
        new("authorization", "access control is enforced (parsed.security.authorization)",
            nameof(AuthenticationChecks.AuthorizationIsNotEnabled), AuthenticationChecks.AuthorizationIsNotEnabled),
        new("member-x509", "members authenticate each other with x.509 (getParameter clusterAuthMode)",
            nameof(AuthenticationChecks.ClusterAuthModeIsNotX509), AuthenticationChecks.ClusterAuthModeIsNotX509),
        new("localhost-bypass", "the localhost exception is off (getParameter enableLocalhostAuthBypass)",
            nameof(AuthenticationChecks.LocalhostAuthBypassIsEnabled), AuthenticationChecks.LocalhostAuthBypassIsEnabled),
        new("server-side-js", "server-side JavaScript is off (parsed.security.javascriptEnabled)",
            nameof(AuthenticationChecks.ServerSideJavascriptIsEnabled), AuthenticationChecks.ServerSideJavascriptIsEnabled),
        new("declared-users", "only declared users exist (usersInfo)",
            nameof(AuthenticationChecks.UsersExistOutsideDeclaredSet), AuthenticationChecks.UsersExistOutsideDeclaredSet),
        new("declared-roles", "only declared roles exist (rolesInfo)",
            nameof(AuthenticationChecks.RolesExistOutsideDeclaredSet), AuthenticationChecks.RolesExistOutsideDeclaredSet),
        new("audit-enabled", "the audit log is on (parsed.auditLog)",
            nameof(AuditChecks.AuditLogIsDisabled), AuditChecks.AuditLogIsDisabled),
        new("audit-filter", "the audit filter is the rendered HIPAA filter (parsed.auditLog.filter)",
            nameof(AuditChecks.AuditFilterDiffersFromRendered), AuditChecks.AuditFilterDiffersFromRendered),
        new("log-redaction", "client data is redacted from diagnostic logs (getParameter redactClientLogData)",
            nameof(AuditChecks.ClientLogDataIsNotRedacted), AuditChecks.ClientLogDataIsNotRedacted),
        new("encryption-at-rest", "the storage engine encrypts data at rest (parsed.security.enableEncryption)",
            nameof(EncryptionChecks.EncryptionAtRestIsDisabled), EncryptionChecks.EncryptionAtRestIsDisabled),
        new("encryption-cipher", "data at rest uses authenticated encryption AES256-GCM (parsed.security.encryptionCipherMode)",
            nameof(EncryptionChecks.CipherIsNotAuthenticated), EncryptionChecks.CipherIsNotAuthenticated),
        new("kmip-master-key", "the master key is held by the KMIP server (parsed.security.kmip)",
            nameof(EncryptionChecks.MasterKeyIsNotHeldByKmip), EncryptionChecks.MasterKeyIsNotHeldByKmip),
        new("default-deny-present", "the default-deny NetworkPolicy exists (Kubernetes API)",
            nameof(KubernetesChecks.DefaultDenyPolicyIsMissing), KubernetesChecks.DefaultDenyPolicyIsMissing),
        new("default-deny-unmodified", "the default-deny NetworkPolicy is as rendered (Kubernetes API)",
            nameof(KubernetesChecks.DefaultDenyPolicyWasModified), KubernetesChecks.DefaultDenyPolicyWasModified),
        new("no-extra-policy", "no other NetworkPolicy opens the members (Kubernetes API)",
            nameof(KubernetesChecks.ExtraPolicyOpensPods), KubernetesChecks.ExtraPolicyOpensPods),
        new("pod-security", "members run non-root without privilege escalation (StatefulSet pod spec)",
            nameof(KubernetesChecks.PodSecurityIsWeakened), KubernetesChecks.PodSecurityIsWeakened),
        new("replica-members", "every declared member exists and is healthy (replSetGetStatus)",
            nameof(AvailabilityChecks.ReplicaSetIsMissingMembers), AvailabilityChecks.ReplicaSetIsMissingMembers),
    ];

    public static CheckDefinition Get(string id) =>
        All.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"no check '{id}'");
}
