using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>Reads a CA issuer's secret material (tls.crt chain, tls.key) and checks it can sign.</summary>
public static class CaMaterial
{
    /// <summary>Why the CA data cannot sign, or null when it holds a CA certificate and its matching key.</summary>
    public static string? Problem(string? chainPem, string? keyPem)
    {
        try
        {
            var (chain, key) = Parse(chainPem, keyPem);
            key.Dispose();
            foreach (var c in chain)
            {
                c.Dispose();
            }
            return null;
        }
        catch (CertificateIssuanceException e)
        {
            return e.Message;
        }
    }

    internal static (List<X509Certificate2> Chain, AsymmetricAlgorithm Key) Load(IssuerCredentials issuer) =>
        Parse(issuer.CaChainPem, issuer.CaKeyPem);

    private static (List<X509Certificate2> Chain, AsymmetricAlgorithm Key) Parse(string? chainPem, string? keyPem)
    {
        if (string.IsNullOrWhiteSpace(chainPem) || string.IsNullOrWhiteSpace(keyPem))
        {
            throw new CertificateIssuanceException("CA secret must hold tls.crt and tls.key");
        }
        var chain = new List<X509Certificate2>();
        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(chainPem);
            chain.AddRange(collection);
        }
        catch (CryptographicException e)
        {
            throw new CertificateIssuanceException("CA secret tls.crt is not a PEM certificate", e);
        }
        if (chain.Count == 0)
        {
            throw new CertificateIssuanceException("CA secret tls.crt holds no certificate");
        }
        var key = PrivateKeys.TryLoad(keyPem) ?? throw new CertificateIssuanceException("CA secret tls.key is not a PEM private key");
        var problem = Check(chain[0], key);
        if (problem is not null)
        {
            key.Dispose();
            throw new CertificateIssuanceException(problem);
        }
        return (chain, key);
    }

    private static string? Check(X509Certificate2 ca, AsymmetricAlgorithm key)
    {
        var bc = ca.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (bc is not { CertificateAuthority: true })
        {
            return "CA secret tls.crt is not a CA certificate (basicConstraints CA:TRUE missing)";
        }
        var matches = key switch
        {
            RSA rsa => ca.GetRSAPublicKey()?.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(rsa.ExportSubjectPublicKeyInfo()) == true,
            ECDsa ec => ca.GetECDsaPublicKey()?.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ec.ExportSubjectPublicKeyInfo()) == true,
            _ => false,
        };
        return matches ? null : "CA secret tls.key does not match tls.crt";
    }
}
