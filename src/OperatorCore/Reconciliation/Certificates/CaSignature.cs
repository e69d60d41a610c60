using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.Operator.Reconciliation.Certificates;

/// <summary>Which CA issued a certificate, judged by key: a re-issued CA keeps its subject, so names cannot tell.</summary>
public static class CaSignature
{
    /// <summary>
    /// Whether the leaf's signature verifies under one of the CAs. Validity dates and key usage are not the question
    /// here (an expired leaf was still issued by its CA), and revocation is not read, as mongod does not read it.
    /// </summary>
    public static bool IssuedBy(X509Certificate2 leaf, X509Certificate2Collection cas)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(cas);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested
            | X509VerificationFlags.IgnoreWrongUsage;
        try
        {
            return chain.Build(leaf);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
