namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>Settings of the cert-manager simulation.</summary>
public sealed class CertManagerOptions
{
    /// <summary>Where ClusterIssuers' CA secrets live (cert-manager's --cluster-resource-namespace; default "cert-manager").</summary>
    public string ClusterResourceNamespace { get; set; } = "cert-manager";

    /// <summary>How soon a Certificate waiting for a not-ready issuer is looked at again (issuer events also wake it).</summary>
    public TimeSpan IssuerWaitRetry { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Run cert-manager's internal CertificateRequest approver (on by default, as in cert-manager). False is
    /// cert-manager's --controllers=*,-certificaterequests-approver: requests wait until something else approves them.
    /// </summary>
    public bool ApproveRequests { get; set; } = true;
}
