using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Compliance;

/// <summary>
/// THE control catalogue (secure-baseline.md 9 and 10). Ids are stable: they appear in status.compliance.failing
/// and in reports. MongoDB STIG rule ids are not mapped: the reference docs do not list them. Controls whose
/// checks span safeguards (164.312(a)(1), (c)(1)) feed no single condition, so one drift never turns an
/// unrelated safeguard False; they still count in the summary. <see cref="All"/> is the scope: the controls
/// the operator can prove. <see cref="NotCovered"/> lists the ones it cannot, with the reason, so a report shows
/// them beside the verdict instead of passing them on evidence that does not prove them.
/// </summary>
public static class ControlCatalogue
{
    public const string Hipaa = "HIPAA 45 CFR 164";
    public const string Cis = "CIS MongoDB 8 Benchmark v1.0.0";
    public const string Checklist = "MongoDB Security Checklist";

    public static IReadOnlyList<Control> All { get; } =
    [
        new("HIPAA-164.312(a)(1)", Hipaa, "Access control", ControlFamily.AccessControl,
            "Authorization is always on, server-side JavaScript is off, only declared roles exist, a default-deny NetworkPolicy admits only declared clients, and the replica set replicates only to the declared members.",
            ["authorization", "declared-roles", "server-side-js", "default-deny-present", "default-deny-unmodified", "no-extra-policy", "replica-set-hosts"], null),
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
            "Data at rest uses authenticated encryption (AES256-GCM), all traffic is TLS protected, and every member runs the declared MongoDB build.",
            ["encryption-cipher", "tls-mode", "server-build"], null),
        new("HIPAA-164.312(d)", Hipaa, "Person or entity authentication", ControlFamily.Authentication,
            "Clients authenticate, members authenticate each other with x.509, and the localhost exception is off.",
            ["authorization", "member-x509", "localhost-bypass"], ConditionTypes.Authentication),
        new("HIPAA-164.312(e)(1)", Hipaa, "Transmission security, including (e)(2)(ii) encryption", ControlFamily.Transmission,
            "TLS is required on every connection, TLS 1.0/1.1 are refused, peers are validated and certificates are renewed before expiry.",
            ["tls-mode", "tls-protocols", "tls-peer-validation", "tls-certificate-valid", "certificates-as-rendered"], ConditionTypes.TLSEnforced),
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
            "Pods run as a fixed non-root user without privilege escalation, host namespaces or hostPath, exactly as rendered.", ["pod-security"], null),
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

    /// <summary>
    /// Controls outside the scope: nothing the operator observes proves them. Replica health is not a contingency
    /// plan: a dropDatabase replicates to every member, and 164.308(a)(7)(ii)(A) asks for retrievable exact copies.
    /// </summary>
    public static IReadOnlyList<NotCoveredControl> NotCovered { get; } =
    [
        new("HIPAA-164.308(a)(7)", Hipaa, "Contingency plan",
            "no backup is configured: 164.308(a)(7)(ii)(A) asks for retrievable exact copies of ePHI, and replication is not a backup (a dropDatabase replicates to every member); replica health is reported by the replica-members check"),
        new("HIPAA-164.312(c)(2)", Hipaa, "Mechanism to authenticate ePHI (addressable)",
            "no mechanism that authenticates stored ePHI is read (AES256-GCM at rest is counted under HIPAA-164.312(c)(1))"),
        new("HIPAA-164.312(e)(2)(i)", Hipaa, "Integrity controls in transit (addressable)",
            "no active TLS handshake probe is run; transport settings are covered by HIPAA-164.312(e)(1)"),
        new("CIS-1.1", Cis, "Appropriate version and patches",
            "no version or CVE feed is read"),
        new("CIS-4.4", Cis, "FIPS enabled", "FIPS mode is not enforced or read"),
        new("CIS-5.3", Cis, "Logging captures as much information as possible", "systemLog.quiet is not read"),
        new("CIS-5.4", Cis, "New entries are appended", "systemLog.logAppend is not read"),
        new("CIS-6.1", Cis, "Non-default port", "the port is not checked (low value behind the default-deny NetworkPolicy)"),
        new("CIS-6.2", Cis, "OS resource limits", "container resources and ulimits are not read"),
        new("CIS-7.1", Cis, "Key file permissions", "file modes inside the pod are not read"),
        new("CIS-7.2", Cis, "Database file permissions", "file modes inside the pod are not read"),
    ];

    public static Control Get(string id) =>
        All.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"no control '{id}'");
}
