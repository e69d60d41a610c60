using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>
/// Pure issuance: a Certificate spec plus its issuer and "now" become the Secret cert-manager would write.
/// No I/O and no clock of its own, so every branch is unit-testable.
/// </summary>
public static class CertificateIssuance
{
    /// <summary>cert-manager's default certificate lifetime (90 days).</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromDays(90);

    /// <summary>The lifetime the spec asks for.</summary>
    public static TimeSpan Duration(CertificateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var d = string.IsNullOrEmpty(spec.Duration) ? DefaultDuration : ParseField(spec.Duration, "duration");
        return d > TimeSpan.Zero ? d : throw new CertificateIssuanceException("duration must be positive");
    }

    /// <summary>renewBefore, defaulting to a third of the lifetime (renewal at 2/3 of it).</summary>
    public static TimeSpan RenewBefore(CertificateSpec spec, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrEmpty(spec.RenewBefore))
        {
            return lifetime / 3;
        }
        var rb = ParseField(spec.RenewBefore, "renewBefore");
        return rb > TimeSpan.Zero && rb < lifetime ? rb
            : throw new CertificateIssuanceException("renewBefore must be positive and shorter than duration");
    }

    /// <summary>Issues the certificate described by <paramref name="request"/>.</summary>
    public static IssuedCertificate Issue(IssuanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = request.Spec;
        if (string.IsNullOrEmpty(spec.SecretName))
        {
            throw new CertificateIssuanceException("spec.secretName is required");
        }
        if (spec.CommonName is { Length: > 64 })
        {
            throw new CertificateIssuanceException("commonName is longer than 64 characters");
        }
        var lifetime = Duration(spec);
        var renewBefore = RenewBefore(spec, lifetime);
        var notBefore = TruncateToSeconds(request.Now);
        var notAfter = notBefore + lifetime;

        using var key = ChooseKey(spec, request.ExistingSecretData);
        var subject = X509Extensions.Subject(spec);
        var req = NewRequest(subject, key);
        X509Extensions.Add(req, spec, subject);
        var serial = RandomSerial();
        var (leaf, chainAfterLeaf, ca) = Sign(req, subject, key, request.Issuer, notBefore, notAfter, serial);

        var keyPem = PrivateKeys.ExportPem(key, spec.PrivateKey);
        var tlsCrt = ToPem([leaf, .. chainAfterLeaf]);
        var data = new Dictionary<string, byte[]>
        {
            [CertManagerApi.TlsCrt] = Encoding.ASCII.GetBytes(tlsCrt),
            [CertManagerApi.TlsKey] = Encoding.ASCII.GetBytes(keyPem),
            [CertManagerApi.CaCrt] = Encoding.ASCII.GetBytes(ToPem([ca])),
        };
        AddOutputFormats(data, spec, keyPem, tlsCrt);
        foreach (var c in chainAfterLeaf.Append(leaf).Append(ca).Distinct())
        {
            c.Dispose();
        }
        return new IssuedCertificate(data, SecretMetadata.Annotations(request.CertificateName, spec, request.Issuer),
            SecretMetadata.Labels(spec), notBefore, notAfter, notAfter - renewBefore, Convert.ToHexString(serial));
    }

    private static TimeSpan ParseField(string value, string field)
    {
        try
        {
            return ApiMachinery.Time.GoDuration.Parse(value);
        }
        catch (FormatException e)
        {
            throw new CertificateIssuanceException($"{field}: {e.Message}", e);
        }
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    // rotationPolicy Never keeps a stored key that still fits the spec; Always (the default since v1.18) never does.
    private static AsymmetricAlgorithm ChooseKey(CertificateSpec spec, IReadOnlyDictionary<string, byte[]>? existing)
    {
        var never = string.Equals(spec.PrivateKey?.RotationPolicy, "Never", StringComparison.OrdinalIgnoreCase);
        if (never && existing is not null && existing.TryGetValue(CertManagerApi.TlsKey, out var pem))
        {
            var old = PrivateKeys.TryLoad(Encoding.ASCII.GetString(pem));
            if (old is not null && PrivateKeys.Fits(old, spec.PrivateKey))
            {
                return old;
            }
            old?.Dispose();
        }
        return PrivateKeys.Generate(spec.PrivateKey);
    }

    private static CertificateRequest NewRequest(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(subject, ec, HashFor(ec.KeySize)),
        _ => throw new CertificateIssuanceException("unsupported private key type"),
    };

    private static HashAlgorithmName HashFor(int ecSize) =>
        ecSize switch { 384 => HashAlgorithmName.SHA384, 521 => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 };

    internal static (X509Certificate2 Leaf, List<X509Certificate2> ChainAfterLeaf, X509Certificate2 Ca) Sign(
        CertificateRequest req, X500DistinguishedName subject, AsymmetricAlgorithm key, IssuerCredentials issuer,
        DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] serial)
    {
        if (issuer.IsSelfSigned)
        {
            // A self-signed certificate is its own CA: ca.crt holds the certificate itself.
            var self = req.Create(subject, SignerFor(key), notBefore, notAfter, serial);
            return (self, [], self);
        }
        var (caChain, caKey) = CaMaterial.Load(issuer);
        using (caKey)
        {
            var caCert = caChain[0];
            req.CertificateExtensions.Add(
                X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caCert, includeKeyIdentifier: true, includeIssuerAndSerial: false));
            var leaf = req.Create(caCert.SubjectName, SignerFor(caKey), notBefore, notAfter, serial);
            // As cert-manager's ParseSingleCertificateChain: a self-signed root goes to ca.crt only;
            // otherwise ca.crt is the top-most certificate of the chain.
            var top = caChain[^1];
            var isRoot = top.SubjectName.RawData.AsSpan().SequenceEqual(top.IssuerName.RawData);
            List<X509Certificate2> intermediates = isRoot ? [.. caChain.Take(caChain.Count - 1)] : [.. caChain];
            return (leaf, intermediates, top);
        }
    }

    private static X509SignatureGenerator SignerFor(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        _ => throw new CertificateIssuanceException("unsupported CA key type"),
    };

    // 128 random bits, positive (RFC 5280 4.1.2.2), as cert-manager generates serials.
    internal static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    private static void AddOutputFormats(Dictionary<string, byte[]> data, CertificateSpec spec, string keyPem, string tlsCrt)
    {
        foreach (var format in spec.AdditionalOutputFormats ?? [])
        {
            switch (format.Type)
            {
                case "CombinedPEM":
                    // cert-manager: private key, a newline, then the certificate chain.
                    data[CertManagerApi.CombinedPem] = Encoding.ASCII.GetBytes(keyPem + "\n" + tlsCrt);
                    break;
                case "DER":
                    data[CertManagerApi.KeyDer] = PemEncoding.Find(keyPem) is var f ? Convert.FromBase64String(keyPem[f.Base64Data]) : [];
                    break;
                default:
                    throw new CertificateIssuanceException($"additionalOutputFormats type '{format.Type}' is not CombinedPEM or DER");
            }
        }
    }

    internal static string ToPem(IEnumerable<X509Certificate2> certs) =>
        string.Concat(certs.Select(c => c.ExportCertificatePem() + "\n"));
}
