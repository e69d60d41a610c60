using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Compliance;

/// <summary>
/// THE control catalogue (secure-baseline.md 9 and 10). Ids are stable: they appear in status.compliance.failing
/// and in reports. MongoDB STIG rule ids are not mapped: the reference docs do not list them. Controls whose
/// checks span safeguards (164.312(a)(1), (c)(1)) feed no single condition, so one drift never turns an
/// unrelated safeguard False; they still count in the summary.
/// </summary>
public static class ControlCatalogue
{
    public const string Hipaa = "HIPAA 45 CFR 164";
    public const string Cis = "CIS MongoDB 8 Benchmark v1.0.0";
    public const string Checklist = "MongoDB Security Checklist";

    public static IReadOnlyList<Control> All { get; } =
    [
        new("HIPAA-164.312(a)(1)", Hipaa, "Access control", ControlFamily.AccessControl,
            "Authorization is always on, server-side JavaScript is off, only declared roles exist, and a default-deny NetworkPolicy admits only declared clients.",
            ["authorization", "declared-roles", "server-side-js", "default-deny-present", "default-deny-unmodified", "no-extra-policy"], null),
        new("HIPAA-164.312(a)(2)(i)", Hipaa, "Unique user identification", ControlFamily.Authentication,
            "Users are declared one per person or application; any other user is reported.",
            ["declared-users"], ConditionTypes.Authentication),
        new("HIPAA-164.312(a)(2)(ii)", Hipaa, "Emergency access procedure", ControlFamily.Authentication,
            "No unauthenticated localhost backdoor exists; break-glass access is an authenticated, audited login.",
            ["localhost-bypass", "audit-enabled"], ConditionTypes.Authentication),
        new("HIPAA-164.312(a)(2)(iii)", Hipaa, "Automatic logoff", ControlFamily.Authentication,
            "Every session must authenticate and logouts are audited; idle timeouts are a client setting (addressable, documented).",
            ["authorization", "audit-enabled"], ConditionTypes.Authentication),
        new("HIPAA-164.312(a)(2)(iv)", Hipaa, "Encryption and decryption", ControlFamily.Encryption,
            "The storage engine encrypts all data with AES256-GCM under a master key held by the KMIP server.",
            ["encryption-at-rest", "encryption-cipher", "kmip-master-key"], ConditionTypes.EncryptedAtRest),
        new("HIPAA-164.312(b)", Hipaa, "Audit controls", ControlFamily.Audit,
            "Every member writes a JSON audit log with the HIPAA filter and redacts client data from diagnostic logs.",
            ["audit-enabled", "audit-filter", "log-redaction"], ConditionTypes.AuditLogging),
        new("HIPAA-164.312(c)(1)", Hipaa, "Integrity", ControlFamily.Encryption,
            "Data at rest uses authenticated encryption (AES256-GCM) and all traffic is TLS protected.",
            ["encryption-cipher", "tls-mode"], null),
        new("HIPAA-164.312(d)", Hipaa, "Person or entity authentication", ControlFamily.Authentication,
            "Clients authenticate, members authenticate each other with x.509, and the localhost exception is off.",
            ["authorization", "member-x509", "localhost-bypass"], ConditionTypes.Authentication),
        new("HIPAA-164.312(e)(1)", Hipaa, "Transmission security, including (e)(2)(ii) encryption", ControlFamily.Transmission,
            "TLS is required on every connection, TLS 1.0/1.1 are refused, peers are validated and certificates are renewed before expiry.",
            ["tls-mode", "tls-protocols", "tls-peer-validation", "tls-certificate-valid"], ConditionTypes.TLSEnforced),
        new("HIPAA-164.308(a)(7)", Hipaa, "Contingency plan", ControlFamily.Availability,
            "The declared replica-set members exist and are healthy, so data survives the loss of a member.",
            ["replica-members"], null),
        new("HIPAA-164.310(d)", Hipaa, "Device and media controls", ControlFamily.Encryption,
            "Volumes are encrypted with a KMIP-held key, so disposal is done by retiring the key (crypto-shredding).",
            ["encryption-at-rest", "kmip-master-key"], ConditionTypes.EncryptedAtRest),
        new("CIS-2.1", Cis, "Authentication is configured", ControlFamily.Authentication,
            "security.authorization is enabled.", ["authorization"], ConditionTypes.Authentication),
        new("CIS-2.2", Cis, "No localhost-exception bypass", ControlFamily.Authentication,
            "enableLocalhostAuthBypass is false.", ["localhost-bypass"], ConditionTypes.Authentication),
        new("CIS-2.3", Cis, "Member authentication", ControlFamily.Authentication,
            "clusterAuthMode is x509 on all members.", ["member-x509"], ConditionTypes.Authentication),
        new("CIS-3.3", Cis, "Non-privileged dedicated service account", ControlFamily.Workload,
            "Pods run as a fixed non-root user without privilege escalation.", ["pod-security"], null),
        new("CIS-3.5", Cis, "Review superuser and admin roles", ControlFamily.Authentication,
            "Users and roles are declarative; undeclared ones are reported.", ["declared-users", "declared-roles"], ConditionTypes.Authentication),
        new("CIS-4.1", Cis, "Legacy TLS protocols disabled", ControlFamily.Transmission,
            "disabledProtocols includes TLS1_0 and TLS1_1.", ["tls-protocols"], ConditionTypes.TLSEnforced),
        new("CIS-4.2", Cis, "Weak protocols disabled", ControlFamily.Transmission,
            "disabledProtocols includes TLS1_0 and TLS1_1.", ["tls-protocols"], ConditionTypes.TLSEnforced),
        new("CIS-4.3", Cis, "Encryption of data in transit", ControlFamily.Transmission,
            "tlsMode is requireTLS and invalid certificates are refused.", ["tls-mode", "tls-peer-validation"], ConditionTypes.TLSEnforced),
        new("CIS-4.5", Cis, "Encryption of data at rest", ControlFamily.Encryption,
            "enableEncryption with a KMIP-held master key.", ["encryption-at-rest", "kmip-master-key"], ConditionTypes.EncryptedAtRest),
        new("CIS-5.1", Cis, "System activity is audited", ControlFamily.Audit,
            "auditLog.destination is file on every member.", ["audit-enabled"], ConditionTypes.AuditLogging),
        new("CIS-5.2", Cis, "Audit filters are configured properly", ControlFamily.Audit,
            "auditLog.filter is the rendered HIPAA filter.", ["audit-filter"], ConditionTypes.AuditLogging),
        new("CIS-6.3", Cis, "Server-side scripting disabled", ControlFamily.AccessControl,
            "security.javascriptEnabled is false.", ["server-side-js"], ConditionTypes.Authentication),
        new("MDB-SC-NETWORK", Checklist, "Limit network exposure", ControlFamily.Network,
            "A default-deny NetworkPolicy admits port 27017 only from declared clients, peers and the operator; no other policy opens the pods.",
            ["default-deny-present", "default-deny-unmodified", "no-extra-policy"], ConditionTypes.NetworkIsolated),
    ];

    public static Control Get(string id) =>
        All.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"no control '{id}'");
}
