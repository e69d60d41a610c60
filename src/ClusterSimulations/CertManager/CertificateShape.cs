using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>
/// The parts of a certificate a Certificate spec determines, in a comparable form: what the spec asks for
/// (<see cref="FromSpec"/>) and what an issued certificate holds (<see cref="FromCertificate"/>).
/// </summary>
public sealed record CertificateShape(
    string CommonName,
    IReadOnlySet<string> DnsNames,
    IReadOnlySet<string> IpAddresses,
    IReadOnlySet<string> Uris,
    IReadOnlyList<string> Organizations,
    IReadOnlyList<string> OrganizationalUnits,
    bool IsCA,
    X509KeyUsageFlags KeyUsage,
    IReadOnlySet<string> ExtendedKeyUsages,
    TimeSpan Lifetime)
{
    private const string OidOrganization = "2.5.4.10";
    private const string OidOrganizationalUnit = "2.5.4.11";
    private const string OidCommonName = "2.5.4.3";

    /// <summary>What <paramref name="spec"/> asks for.</summary>
    public static CertificateShape FromSpec(CertificateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var probeKey = ECDsa.Create();
        var probe = new CertificateRequest("CN=probe", probeKey, HashAlgorithmName.SHA256);
        X509Extensions.Add(probe, spec, X509Extensions.Subject(spec));
        var ku = probe.CertificateExtensions.OfType<X509KeyUsageExtension>().FirstOrDefault()?.KeyUsages ?? X509KeyUsageFlags.None;
        var eku = Ekus(probe.CertificateExtensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault());
        return new CertificateShape(
            spec.CommonName ?? "",
            Set(spec.DnsNames ?? []),
            Set((spec.IpAddresses ?? []).Select(ip => IPAddress.Parse(ip).ToString())),
            Set(spec.Uris ?? []),
            spec.Subject?.Organizations ?? [],
            spec.Subject?.OrganizationalUnits ?? [],
            spec.IsCA == true, ku, eku, CertificateIssuance.Duration(spec));
    }

    /// <summary>What <paramref name="cert"/> holds.</summary>
    public static CertificateShape FromCertificate(X509Certificate2 cert)
    {
        ArgumentNullException.ThrowIfNull(cert);
        var rdns = cert.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(r => !r.HasMultipleElements)
            .Select(r => (Oid: r.GetSingleElementType().Value, Value: r.GetSingleElementValue() ?? ""))
            .ToList();
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return new CertificateShape(
            rdns.LastOrDefault(r => r.Oid == OidCommonName).Value ?? "",
            Set(san?.EnumerateDnsNames() ?? []),
            Set((san?.EnumerateIPAddresses() ?? []).Select(ip => ip.ToString())),
            Set(san is null ? [] : ReadUris(san.RawData)),
            [.. rdns.Where(r => r.Oid == OidOrganization).Select(r => r.Value)],
            [.. rdns.Where(r => r.Oid == OidOrganizationalUnit).Select(r => r.Value)],
            cert.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority == true,
            cert.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault()?.KeyUsages ?? X509KeyUsageFlags.None,
            Ekus(cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()),
            cert.NotAfter.ToUniversalTime() - cert.NotBefore.ToUniversalTime());
    }

    /// <summary>Names of the fields where <paramref name="issued"/> differs from this (desired) shape.</summary>
    public IReadOnlyList<string> Differences(CertificateShape issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        var diffs = new List<string>();
        if (CommonName != issued.CommonName) { diffs.Add("spec.commonName"); }
        if (!DnsNames.SetEquals(issued.DnsNames)) { diffs.Add("spec.dnsNames"); }
        if (!IpAddresses.SetEquals(issued.IpAddresses)) { diffs.Add("spec.ipAddresses"); }
        if (!Uris.SetEquals(issued.Uris)) { diffs.Add("spec.uris"); }
        if (!Organizations.Order().SequenceEqual(issued.Organizations.Order())) { diffs.Add("spec.subject.organizations"); }
        if (!OrganizationalUnits.Order().SequenceEqual(issued.OrganizationalUnits.Order())) { diffs.Add("spec.subject.organizationalUnits"); }
        if (IsCA != issued.IsCA) { diffs.Add("spec.isCA"); }
        if (KeyUsage != issued.KeyUsage || !ExtendedKeyUsages.SetEquals(issued.ExtendedKeyUsages)) { diffs.Add("spec.usages"); }
        if (Lifetime != issued.Lifetime) { diffs.Add("spec.duration"); }
        return diffs;
    }

    private static HashSet<string> Set(IEnumerable<string> items) => new(items, StringComparer.Ordinal);

    private static HashSet<string> Ekus(X509EnhancedKeyUsageExtension? ext) =>
        Set(ext?.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? "") ?? []);

    // .NET decodes only DNS and IP SANs; URIs are GeneralName [6] IA5String (RFC 5280 4.2.1.6).
    private static List<string> ReadUris(byte[] sanDer)
    {
        var uris = new List<string>();
        var seq = new AsnReader(sanDer, AsnEncodingRules.DER).ReadSequence();
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        while (seq.HasData)
        {
            if (seq.PeekTag().HasSameClassAndValue(uriTag))
            {
                uris.Add(seq.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
            }
            else
            {
                seq.ReadEncodedValue();
            }
        }
        return uris;
    }
}
