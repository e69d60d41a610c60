using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.MongodSimulator.Tls;

/// <summary>Validates a presented client certificate against the CA file: chain, dates, and EKU clientAuth if an EKU exists.</summary>
internal static class ClientCertificateValidator
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public static bool IsValid(X509Certificate2 cert, X509Certificate2Collection ca)
    {
        if (ca.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(cert))
        {
            return false;
        }

        var eku = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return eku is null || eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == ClientAuthOid);
    }
}
