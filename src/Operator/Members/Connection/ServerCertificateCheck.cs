using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.Operator.Members.Connection;

/// <summary>
/// The operator's own decision on a member's server certificate: it must chain to the cluster CA only (no system
/// roots) and be valid for the member's DNS name. The pod IP the operator dials is never accepted as the name.
/// </summary>
public static class ServerCertificateCheck
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    /// <summary>Null when acceptable, else the reason in words (no key material: only names and dates).</summary>
    public static string? Reject(X509Certificate2 served, IEnumerable<X509Certificate2> presentedChain, X509Certificate2Collection trustedCa, string expectedDnsName)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(trustedCa);
        if (trustedCa.Count == 0)
        {
            return "no cluster CA is configured to trust";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedCa);
        chain.ChainPolicy.ExtraStore.AddRange(presentedChain.ToArray());
        // mongod reads CRLs only when net.tls.CRLFile is set; the baseline sets none, so neither does the operator.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
        if (!BuildSafely(chain, served))
        {
            return Describe(chain);
        }

        return served.MatchesHostname(expectedDnsName, allowWildcards: true, allowCommonName: false)
            ? null
            : $"server certificate is not valid for {expectedDnsName}";
    }

    private static bool BuildSafely(X509Chain chain, X509Certificate2 served)
    {
        try
        {
            return chain.Build(served);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string Describe(X509Chain chain)
    {
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (acc, s) => acc | s.Status);
        if ((flags & (X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) != 0)
        {
            return "server certificate is expired or not yet valid";
        }

        if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0)
        {
            return "server certificate is not valid for TLS server authentication";
        }

        return "server certificate not issued by the cluster CA";
    }
}
