namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>The annotations and labels cert-manager writes on a Certificate's Secret.</summary>
public static class SecretMetadata
{
    /// <summary>cert-manager.io/* annotations (plus secretTemplate's) for the issued Secret.</summary>
    public static Dictionary<string, string> Annotations(string certificateName, CertificateSpec spec, IssuerCredentials issuer)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(issuer);
        var a = new Dictionary<string, string>(spec.SecretTemplate?.Annotations ?? [])
        {
            [CertManagerApi.CertificateNameAnnotation] = certificateName,
            [CertManagerApi.IssuerNameAnnotation] = issuer.Name,
            [CertManagerApi.IssuerKindAnnotation] = issuer.Kind,
            [CertManagerApi.IssuerGroupAnnotation] = issuer.Group,
            [CertManagerApi.CommonNameAnnotation] = spec.CommonName ?? "",
            [CertManagerApi.AltNamesAnnotation] = string.Join(',', spec.DnsNames ?? []),
            [CertManagerApi.IpSansAnnotation] = string.Join(',', spec.IpAddresses ?? []),
            [CertManagerApi.UriSansAnnotation] = string.Join(',', spec.Uris ?? []),
        };
        if (spec.Subject?.Organizations is { Count: > 0 } o)
        {
            a[CertManagerApi.SubjectOrganizationsAnnotation] = string.Join(',', o);
        }
        if (spec.Subject?.OrganizationalUnits is { Count: > 0 } ou)
        {
            a[CertManagerApi.SubjectOrganizationalUnitsAnnotation] = string.Join(',', ou);
        }
        return a;
    }

    /// <summary>secretTemplate labels plus controller.cert-manager.io/fao=true.</summary>
    public static Dictionary<string, string> Labels(CertificateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new Dictionary<string, string>(spec.SecretTemplate?.Labels ?? []) { [CertManagerApi.ManagedLabel] = "true" };
    }
}
