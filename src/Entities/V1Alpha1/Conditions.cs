namespace HipaaMongo.Entities;

/// <summary>Condition types (metav1.Condition). Reconciling and Stalled are abnormal-true (kstatus): present only when True.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";
    public const string TLSEnforced = "TLSEnforced";
    public const string EncryptedAtRest = "EncryptedAtRest";
    public const string AuditLogging = "AuditLogging";
    public const string NetworkIsolated = "NetworkIsolated";
    public const string Authentication = "Authentication";

    /// <summary>
    /// Whether the operator's own KMIP probe reached a KMIP server in the last verification (present only with KMIP
    /// encryption). False names the servers tried; it is not a safeguard (key custody is a control of EncryptedAtRest).
    /// </summary>
    public const string KeyManagementReachable = "KeyManagementReachable";

    /// <summary>
    /// Whether every leaf certificate (members, operator, verifier) is issued by the CA in the CA Secret. False names
    /// the leaves still on a previous CA and the stage of the change (docs/certificates.md); not a safeguard.
    /// </summary>
    public const string CertificateAuthority = "CertificateAuthority";

    /// <summary>
    /// Whether the operator's own LDAPS probe reached a directory server in the last verification (present only with
    /// spec.ldap). False names the servers tried; directory users cannot log in then, x.509 identities can. Not a safeguard.
    /// </summary>
    public const string DirectoryReachable = "DirectoryReachable";

    /// <summary>The positive condition per safeguard, in display order.</summary>
    public static IReadOnlyList<string> Safeguards { get; } =
        [TLSEnforced, EncryptedAtRest, AuditLogging, NetworkIsolated, Authentication];

    public static IReadOnlyList<string> All { get; } =
        [Ready, Reconciling, Stalled, .. Safeguards, KeyManagementReachable, CertificateAuthority, DirectoryReachable];
}

/// <summary>The closed set of condition reasons (CamelCase, matching metav1.Condition's reason pattern).</summary>
public static class ConditionReasons
{
    public const string Progressing = "Progressing";
    public const string ReconciliationSucceeded = "ReconciliationSucceeded";
    public const string ReconciliationFailed = "ReconciliationFailed";
    public const string SpecInvalid = "SpecInvalid";
    public const string Verified = "Verified";
    public const string VerificationFailed = "VerificationFailed";
    public const string DriftCorrected = "DriftCorrected";
    public const string DriftDetected = "DriftDetected";
    public const string MembersNotReady = "MembersNotReady";
    public const string CertificateNotReady = "CertificateNotReady";
    public const string CertificateExpiring = "CertificateExpiring";
    public const string CertificateRotated = "CertificateRotated";
    public const string KmipUnreachable = "KmipUnreachable";
    public const string KmipReachable = "KmipReachable";
    public const string LdapUnreachable = "LdapUnreachable";
    public const string LdapReachable = "LdapReachable";
    public const string PolicyMissing = "PolicyMissing";
    public const string Pending = "Pending";
    public const string Deleting = "Deleting";
    public const string ChildRejected = "ChildRejected";
    public const string ChildApplyRetrying = "ChildApplyRetrying";
    public const string StorageExpanding = "StorageExpanding";
    public const string StorageShrinkRefused = "StorageShrinkRefused";
    public const string StorageExpansionUnsupported = "StorageExpansionUnsupported";
    public const string Scaling = "Scaling";
    public const string RollingUpdate = "RollingUpdate";
    public const string RolloutHalted = "RolloutHalted";
    public const string CaConsistent = "CaConsistent";
    public const string CaReplaced = "CaReplaced";

    public static IReadOnlyList<string> All { get; } =
    [
        Progressing, ReconciliationSucceeded, ReconciliationFailed, SpecInvalid, Verified, VerificationFailed,
        DriftCorrected, DriftDetected, MembersNotReady, CertificateNotReady, CertificateExpiring, CertificateRotated,
        KmipUnreachable, KmipReachable, LdapUnreachable, LdapReachable, PolicyMissing, Pending, Deleting, ChildRejected, ChildApplyRetrying,
        StorageExpanding, StorageShrinkRefused, StorageExpansionUnsupported, Scaling,
        RollingUpdate, RolloutHalted, CaConsistent, CaReplaced,
    ];
}
