using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>What a CA issuer returns for a CertificateRequest: the PEM chain (leaf first) and the CA PEM.</summary>
public sealed record SignedRequest(byte[] Certificate, byte[] CA, DateTimeOffset NotAfter);

/// <summary>
/// Pure signing of a CertificateRequest's CSR by a CA issuer, as cert-manager's CA signer
/// (pkg/controller/certificaterequests/ca/ca.go) does through pki.CertificateTemplateFromCertificateRequest
/// (pkg/util/pki/certificatetemplate.go): the CSR's signature is checked; subject, SANs and public key come from the
/// CSR; lifetime from spec.duration (default 90 days); key usages and basic constraints from spec.usages and
/// spec.isCA, and a CSR that carries its own key usages or basic constraints must agree with them.
/// Throws <see cref="CertificateIssuanceException"/> with cert-manager's message on a request it cannot sign.
/// </summary>
public static class CsrSigning
{
    private const string KeyUsageOid = "2.5.29.15";
    private const string ExtendedKeyUsageOid = "2.5.29.37";
    private const string BasicConstraintsOid = "2.5.29.19";
    private const string SubjectAltNameOid = "2.5.29.17";

    public static SignedRequest Sign(CertificateRequestSpec spec, IssuerCredentials issuer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(issuer);
        if (issuer.IsSelfSigned)
        {
            // selfsigned.go signs with the key in the Secret named by cert-manager.io/private-key-secret-name,
            // which this simulation does not serve.
            throw new CertificateIssuanceException("Annotation \"cert-manager.io/private-key-secret-name\" missing or reference empty");
        }
        var lifetime = CertificateIssuance.Duration(new CertificateSpec { Duration = spec.Duration });
        var (ku, eku) = X509Extensions.ForRequest(spec.Usages, spec.IsCA == true);
        var req = Load(spec.Request);
        CheckAgainstCsr(req, ku, eku, spec.IsCA == true);
        var san = req.CertificateExtensions.FirstOrDefault(e => e.Oid?.Value == SubjectAltNameOid);
        req.CertificateExtensions.Clear();
        if (san is not null)
        {
            req.CertificateExtensions.Add(san);
        }
        if (ku != X509KeyUsageFlags.None)
        {
            req.CertificateExtensions.Add(new X509KeyUsageExtension(ku, critical: true));
        }
        if (eku.Count > 0)
        {
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(eku, critical: false));
        }
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(spec.IsCA == true, false, 0, critical: true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, critical: false));
        var notBefore = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var (leaf, chainAfterLeaf, ca) = CertificateIssuance.Sign(req, req.SubjectName, null!, issuer, notBefore, notBefore + lifetime,
            CertificateIssuance.RandomSerial());
        try
        {
            return new SignedRequest(Encoding.ASCII.GetBytes(CertificateIssuance.ToPem([leaf, .. chainAfterLeaf])),
                Encoding.ASCII.GetBytes(CertificateIssuance.ToPem([ca])), notBefore + lifetime);
        }
        finally
        {
            foreach (var c in chainAfterLeaf.Append(leaf).Append(ca).Distinct())
            {
                c.Dispose();
            }
        }
    }

    // pki.CertificateTemplateFromCSRPEM: decode the PEM, parse the CSR, check its signature.
    private static CertificateRequest Load(byte[] pem)
    {
        try
        {
            return CertificateRequest.LoadSigningRequestPem(Encoding.ASCII.GetString(pem), HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (CryptographicException e)
        {
            throw new CertificateIssuanceException($"failed to decode CSR: {e.Message}", e);
        }
    }

    // CertificateTemplateValidateAndOverrideKeyUsages / ...BasicConstraints: what the CSR asks for must match.
    private static void CheckAgainstCsr(CertificateRequest req, X509KeyUsageFlags ku, OidCollection eku, bool isCA)
    {
        foreach (var ext in req.CertificateExtensions)
        {
            switch (ext.Oid?.Value)
            {
                case KeyUsageOid when new X509KeyUsageExtension(ext, ext.Critical).KeyUsages != ku:
                    throw new CertificateIssuanceException("encoded CSR error: the KeyUsages do not match the expected KeyUsages");
                case ExtendedKeyUsageOid when !SameOids(new X509EnhancedKeyUsageExtension(ext, ext.Critical).EnhancedKeyUsages, eku):
                    throw new CertificateIssuanceException("encoded CSR error: the ExtKeyUsages do not match the expected ExtKeyUsages");
                case BasicConstraintsOid when new X509BasicConstraintsExtension(ext, ext.Critical).CertificateAuthority != isCA:
                    throw new CertificateIssuanceException($"encoded CSR error: IsCA {!isCA} does not match expected value {isCA}");
            }
        }
    }

    private static bool SameOids(OidCollection a, OidCollection b) =>
        a.Cast<Oid>().Select(o => o.Value).SequenceEqual(b.Cast<Oid>().Select(o => o.Value));
}
