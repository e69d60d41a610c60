using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>Why a Certificate needs (re)issuing: a cert-manager Issuing condition reason and message.</summary>
public sealed record IssuanceTrigger(string Reason, string Message);

/// <summary>
/// cert-manager's issuance policy chain, pure: given the Certificate, its Secret (or null) and now, decide
/// whether to issue and why. Order follows cert-manager's default policy chain.
/// </summary>
public static class IssuancePolicy
{
    /// <summary>The trigger, or null when the Secret is current.</summary>
    public static IssuanceTrigger? Evaluate(Certificate certificate, IReadOnlyDictionary<string, byte[]>? secretData,
        IReadOnlyDictionary<string, string>? secretAnnotations, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (secretData is null)
        {
            return new("DoesNotExist", "Issuing certificate as Secret does not exist");
        }
        if (!secretData.TryGetValue(CertManagerApi.TlsKey, out var keyPem) || keyPem.Length == 0)
        {
            return new("MissingData", "Issuing certificate as Secret does not contain a private key");
        }
        if (!secretData.TryGetValue(CertManagerApi.TlsCrt, out var crtPem) || crtPem.Length == 0)
        {
            return new("MissingData", "Issuing certificate as Secret does not contain a certificate");
        }
        using var key = PrivateKeys.TryLoad(Encoding.ASCII.GetString(keyPem));
        if (key is null)
        {
            return new("InvalidKeyPair", "Issuing certificate as Secret contains invalid private key data");
        }
        using var leaf = TryParseLeaf(crtPem);
        if (leaf is null)
        {
            return new("InvalidCertificate", "Issuing certificate as Secret contains an invalid certificate");
        }
        if (!PublicKeyMatches(leaf, key))
        {
            return new("InvalidKeyPair", "Issuing certificate as Secret contains a private key that does not match the certificate");
        }
        return IssuerMismatch(certificate.Spec.IssuerRef, secretAnnotations)
            ?? SpecMismatch(certificate.Spec, leaf, key)
            ?? Timing(certificate.Spec, leaf, now);
    }

    /// <summary>
    /// An issuance someone asked for: the Issuing condition set to True on the status, as `cmctl renew` does (reason
    /// ManuallyTriggered, cert-manager cmd/ctl/pkg/renew/renew.go renewCertificate, before cmctl left the repository in
    /// 7b948685). cert-manager's issuing pipeline acts on Issuing=True whoever set it (pkg/controller/certificates/
    /// issuing/issuing_controller.go ProcessItem; the trigger controller does nothing while it is True), and removes the
    /// condition once the Secret is written. Null when the condition is absent or not True.
    /// </summary>
    public static IssuanceTrigger? Requested(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var issuing = HipaaMongo.ControllerRuntime.Meta.Conditions.Find(certificate.Status?.Conditions, CertificateStatuses.Issuing);
        return issuing is { Status: "True" } ? new(issuing.Reason ?? "ManuallyTriggered", issuing.Message ?? "Certificate re-issuance manually triggered") : null;
    }

    /// <summary>When <paramref name="leaf"/> is due for renewal under <paramref name="spec"/>.</summary>
    public static DateTimeOffset RenewalTime(CertificateSpec spec, X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(leaf);
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        var lifetime = notAfter - notBefore;
        var renewBefore = lifetime / 3;
        try
        {
            renewBefore = CertificateIssuance.RenewBefore(spec, lifetime);
        }
        catch (CertificateIssuanceException)
        {
            // An invalid renewBefore falls back to the default; issuance reports the error itself.
        }
        return notAfter - renewBefore;
    }

    /// <summary>The leaf (first) certificate of a PEM chain, or null.</summary>
    public static X509Certificate2? TryParseLeaf(byte[] pem)
    {
        try
        {
            return X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(pem));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static bool PublicKeyMatches(X509Certificate2 leaf, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => leaf.GetRSAPublicKey()?.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(rsa.ExportSubjectPublicKeyInfo()) == true,
        ECDsa ec => leaf.GetECDsaPublicKey()?.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ec.ExportSubjectPublicKeyInfo()) == true,
        _ => false,
    };

    private static IssuanceTrigger? IssuerMismatch(IssuerReference issuerRef, IReadOnlyDictionary<string, string>? annotations)
    {
        string? Get(string k) => annotations is not null && annotations.TryGetValue(k, out var v) ? v : null;
        var name = Get(CertManagerApi.IssuerNameAnnotation);
        var kind = Get(CertManagerApi.IssuerKindAnnotation);
        var group = Get(CertManagerApi.IssuerGroupAnnotation);
        var same = name == issuerRef.Name && kind == (issuerRef.Kind ?? "Issuer") && group == (issuerRef.Group ?? CertManagerApi.Group);
        return same ? null : new("IncorrectIssuer",
            $"Issuing certificate as Secret was previously issued by {kind}.{group}/{name}");
    }

    private static IssuanceTrigger? SpecMismatch(CertificateSpec spec, X509Certificate2 leaf, AsymmetricAlgorithm key)
    {
        var diffs = new List<string>();
        try
        {
            var desired = CertificateShape.FromSpec(spec);
            _ = CertificateIssuance.RenewBefore(spec, desired.Lifetime); // an invalid renewBefore is a mismatch too
            diffs.AddRange(desired.Differences(CertificateShape.FromCertificate(leaf)));
            if (!PrivateKeys.Fits(key, spec.PrivateKey))
            {
                diffs.Add("spec.privateKey");
            }
        }
        catch (Exception e) when (e is CertificateIssuanceException or FormatException or CryptographicException)
        {
            // An invalid spec cannot match; issuance reports the precise error.
            diffs.Add("spec");
        }
        return diffs.Count == 0 ? null : new("SecretMismatch",
            $"Issuing certificate as Secret does not match the Certificate spec: [{string.Join(", ", diffs)}]");
    }

    private static IssuanceTrigger? Timing(CertificateSpec spec, X509Certificate2 leaf, DateTimeOffset now)
    {
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        if (now >= notAfter)
        {
            return new("Expired", $"Certificate expired on {notAfter:R}");
        }
        var renewal = RenewalTime(spec, leaf);
        return now >= renewal ? new("Renewing", $"Renewing certificate as renewal was scheduled at {renewal:R}") : null;
    }
}
