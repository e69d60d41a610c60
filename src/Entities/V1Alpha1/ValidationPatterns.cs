namespace HipaaMongo.Entities;

/// <summary>
/// Regular expressions shared by the CRD schema and the validator. RE2 syntax only (no lookaround),
/// because the API server evaluates schema patterns with Go's regexp.
/// </summary>
public static class ValidationPatterns
{
    public const string Version = @"^(7\.0|8\.0)\.[0-9]+$";
    public const string Image = @"^[^\s]+$";
    public const string DnsSubdomain = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    public const string SecretKey = @"^[-._a-zA-Z0-9]+$";
    public const string HostPort = @"^([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$";
    public const string KeyIdentifier = @"^[\x21-\x7e]+$";
    public const string GoDuration = @"^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$";
    public const string PhiNamespace = @"^[A-Za-z0-9_-]{1,63}(\.[A-Za-z0-9_-]+)*$";
    public const string RelativePath = @"^([A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*$";
    public const string LdapUrl = @"^ldaps?://([A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$";
    public const string RoleName = @"^[A-Za-z0-9_.-]+$";
    public const string DatabaseName = @"^[A-Za-z0-9_-]{1,63}$";

    /// <summary>The Kubernetes resource.Quantity grammar, as kubebuilder emits it.</summary>
    public const string Quantity =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";
}
