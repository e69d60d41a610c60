namespace HipaaMongo.Operator.Reconciliation;

/// <summary>Event reasons of member verification and compliance (CamelCase; Kubernetes drift uses its DriftClass names).</summary>
public static class EventReasons
{
    public const string ControlFailed = "ControlFailed";
    public const string ControlUnproven = "ControlUnproven";
    public const string ControlPassed = "ControlPassed";
    public const string RuntimeSettingReverted = "RuntimeSettingReverted";
    public const string LdapGroupRoleCreated = "LdapGroupRoleCreated";
    public const string RuntimeCorrectionFailed = "RuntimeCorrectionFailed";
    public const string UncorrectableDrift = "UncorrectableDrift";
    public const string VerificationFailed = "VerificationFailed";
    public const string ReplicaSetBootstrapped = "ReplicaSetBootstrapped";
    public const string BootstrapFailed = "BootstrapFailed";
    public const string MemberRolesUpdated = "MemberRolesUpdated";
    public const string MemberRolesUpdateFailed = "MemberRolesUpdateFailed";
    public const string CertificateRotated = "CertificateRotated";
    public const string CertificateRotationFailed = "CertificateRotationFailed";
    public const string KmipUnreachable = "KmipUnreachable";
    public const string LdapUnreachable = "LdapUnreachable";
    public const string MasterKeyRotated = "MasterKeyRotated";
    public const string OwnUserMissing = "OwnUserMissing";
    public const string OwnIdentityRefused = "OwnIdentityRefused";
    public const string OwnUserRecreated = "OwnUserRecreated";
    public const string CaReplaced = "CaReplaced";
    public const string CertificateReissued = "CertificateReissued";
    public const string CaTrustLoaded = "CaTrustLoaded";
    public const string CaTrustStage = "CaTrustStage";
}
