using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>Maps Certificate.spec onto X.509 names and extensions as cert-manager does.</summary>
internal static class X509Extensions
{
    private static readonly Dictionary<string, X509KeyUsageFlags> KeyUsages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["signing"] = X509KeyUsageFlags.DigitalSignature,
        ["digital signature"] = X509KeyUsageFlags.DigitalSignature,
        ["content commitment"] = X509KeyUsageFlags.NonRepudiation,
        ["key encipherment"] = X509KeyUsageFlags.KeyEncipherment,
        ["key agreement"] = X509KeyUsageFlags.KeyAgreement,
        ["data encipherment"] = X509KeyUsageFlags.DataEncipherment,
        ["cert sign"] = X509KeyUsageFlags.KeyCertSign,
        ["crl sign"] = X509KeyUsageFlags.CrlSign,
        ["encipher only"] = X509KeyUsageFlags.EncipherOnly,
        ["decipher only"] = X509KeyUsageFlags.DecipherOnly,
    };

    private static readonly Dictionary<string, string> ExtendedKeyUsages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["server auth"] = "1.3.6.1.5.5.7.3.1",
        ["client auth"] = "1.3.6.1.5.5.7.3.2",
        ["code signing"] = "1.3.6.1.5.5.7.3.3",
        ["email protection"] = "1.3.6.1.5.5.7.3.4",
        ["timestamping"] = "1.3.6.1.5.5.7.3.8",
        ["ocsp signing"] = "1.3.6.1.5.5.7.3.9",
        ["any"] = "2.5.29.37.0",
    };

    /// <summary>The usages in effect: the spec's, or cert-manager's default (digital signature, key encipherment).</summary>
    public static IReadOnlyList<string> EffectiveUsages(CertificateSpec spec)
    {
        List<string> usages = spec.Usages is { Count: > 0 } u ? [.. u] : ["digital signature", "key encipherment"];
        if (spec.IsCA == true && !usages.Contains("cert sign", StringComparer.OrdinalIgnoreCase))
        {
            usages.Add("cert sign"); // cert-manager always grants a CA cert sign.
        }
        return usages;
    }

    /// <summary>
    /// Key usage flags and extended key usage OIDs for a CertificateRequest's usages, as cert-manager's
    /// pki.KeyUsagesForCertificateOrCertificateRequest (pkg/util/pki/csr.go) computes them: isCA adds cert sign, no
    /// usages means v1.DefaultKeyUsages() (digital signature, key encipherment), an unknown usage is an error.
    /// </summary>
    public static (X509KeyUsageFlags KeyUsage, OidCollection ExtendedKeyUsage) ForRequest(IReadOnlyList<string>? usages, bool isCA)
    {
        var ku = isCA ? X509KeyUsageFlags.KeyCertSign : X509KeyUsageFlags.None;
        var eku = new OidCollection();
        var unknown = new List<string>();
        foreach (var usage in usages is { Count: > 0 } ? usages : ["digital signature", "key encipherment"])
        {
            if (KeyUsages.TryGetValue(usage, out var flag)) { ku |= flag; }
            else if (ExtendedKeyUsages.TryGetValue(usage, out var oid)) { eku.Add(new Oid(oid)); }
            else { unknown.Add(usage); }
        }
        return unknown.Count == 0 ? (ku, eku) : throw new CertificateIssuanceException($"unknown key usages: [{string.Join(" ", unknown)}]");
    }

    /// <summary>
    /// Subject DN in Go's pkix order (encoded first to last): C, ST, L, street, postal code, O, OU, serialNumber,
    /// CN, so OpenSSL's RFC 2253 form (last RDN first) starts with CN as for a real cert-manager certificate.
    /// X500DistinguishedNameBuilder encodes the RDNs in the reverse order of the Add calls, hence CN is added first.
    /// </summary>
    public static X500DistinguishedName Subject(CertificateSpec spec)
    {
        var b = new X500DistinguishedNameBuilder();
        var s = spec.Subject;
        if (!string.IsNullOrEmpty(spec.CommonName)) { b.AddCommonName(spec.CommonName); }
        if (!string.IsNullOrEmpty(s?.SerialNumber)) { b.Add("2.5.4.5", s.SerialNumber); }
        foreach (var ou in Reversed(s?.OrganizationalUnits)) { b.AddOrganizationalUnitName(ou); }
        foreach (var o in Reversed(s?.Organizations)) { b.AddOrganizationName(o); }
        foreach (var p in Reversed(s?.PostalCodes)) { b.Add("2.5.4.17", p); }
        foreach (var a in Reversed(s?.StreetAddresses)) { b.Add("2.5.4.9", a); }
        foreach (var l in Reversed(s?.Localities)) { b.AddLocalityName(l); }
        foreach (var p in Reversed(s?.Provinces)) { b.AddStateOrProvinceName(p); }
        foreach (var c in Reversed(s?.Countries)) { b.AddCountryOrRegion(c); }
        return b.Build();
    }

    private static IEnumerable<string> Reversed(IEnumerable<string>? values) => (values ?? []).Reverse();

    /// <summary>Adds SANs, key usage, EKUs, basic constraints and the subject key identifier to the request.</summary>
    public static void Add(CertificateRequest req, CertificateSpec spec, X500DistinguishedName subject)
    {
        var san = SubjectAltNames(spec);
        if (san is not null)
        {
            // RFC 5280 4.2.1.6: SAN is critical when the subject is empty.
            req.CertificateExtensions.Add(san.Build(critical: subject.RawData.Length <= 2));
        }
        var usages = EffectiveUsages(spec);
        var ku = X509KeyUsageFlags.None;
        var eku = new OidCollection();
        foreach (var usage in usages)
        {
            if (KeyUsages.TryGetValue(usage, out var flag)) { ku |= flag; }
            else if (ExtendedKeyUsages.TryGetValue(usage, out var oid)) { eku.Add(new Oid(oid)); }
            else { throw new CertificateIssuanceException($"usage '{usage}' is not a cert-manager key usage"); }
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
    }

    private static SubjectAlternativeNameBuilder? SubjectAltNames(CertificateSpec spec)
    {
        var b = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var dns in spec.DnsNames ?? []) { b.AddDnsName(dns); any = true; }
        foreach (var ip in spec.IpAddresses ?? [])
        {
            b.AddIpAddress(IPAddress.TryParse(ip, out var addr) ? addr
                : throw new CertificateIssuanceException($"ipAddresses entry '{ip}' is not an IP address"));
            any = true;
        }
        foreach (var uri in spec.Uris ?? [])
        {
            b.AddUri(Uri.TryCreate(uri, UriKind.Absolute, out var u) ? u
                : throw new CertificateIssuanceException($"uris entry '{uri}' is not an absolute URI"));
            any = true;
        }
        foreach (var email in spec.EmailAddresses ?? []) { b.AddEmailAddress(email); any = true; }
        return any ? b : null;
    }
}
