namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>The cert-manager.io/v1 CRDs (config/simulations/cert-manager-crds.yaml), for an API server to install.</summary>
public static class CertManagerCrds
{
    /// <summary>Multi-document YAML: Certificate, Issuer, ClusterIssuer CustomResourceDefinitions.</summary>
    public static string Yaml { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(CertManagerCrds).Assembly.GetManifestResourceStream("cert-manager-crds.yaml")
            ?? throw new InvalidOperationException("embedded cert-manager-crds.yaml is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
