using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HipaaMongo.Operator.Members.Connection;

/// <summary>
/// A certificate subject in RFC 2253 form exactly as mongod (OpenSSL's X509_NAME_print_ex with XN_FLAG_RFC2253)
/// prints it, which is the $external user name under MONGODB-X509: most specific RDN first, "," without spaces,
/// OpenSSL short names, RFC 2253 escaping. .NET's X500DistinguishedName.Name differs (", " and "S=" for ST).
/// </summary>
public static class SubjectName
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.11"] = "OU",
        ["2.5.4.10"] = "O",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.6"] = "C",
        ["2.5.4.9"] = "street",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
    };

    public static string Rfc2253(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Rfc2253(certificate.SubjectName);
    }

    public static string Rfc2253(X500DistinguishedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.EnumerateRelativeDistinguishedNames(reversed: true).Select(Rdn);
        return string.Join(",", parts);
    }

    // Multi-valued RDNs (CN=a+OU=b) are refused rather than guessed at: cert-manager never issues them here.
    private static string Rdn(X500RelativeDistinguishedName rdn) => rdn.HasMultipleElements
        ? throw new ArgumentException("certificate subjects with multi-valued RDNs are not supported", nameof(rdn))
        : Attribute(rdn.GetSingleElementType().Value ?? "", rdn.GetSingleElementValue() ?? "");

    private static string Attribute(string oid, string value) =>
        $"{(ShortNames.TryGetValue(oid, out var s) ? s : oid)}={Escape(value)}";

    private static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' || (i == 0 && c is '#' or ' ') || (i == value.Length - 1 && c == ' '))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
