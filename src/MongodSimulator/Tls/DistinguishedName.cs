using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HipaaMongo.MongodSimulator.Tls;

/// <summary>
/// A subject DN in RFC 2253 form as mongod prints it: most specific first, OpenSSL short names, "," without space,
/// RFC 2253 escaping. .NET's X500DistinguishedName.Name differs (", " separators, "S=" for ST).
/// </summary>
public static class DistinguishedName
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.11"] = "OU",
        ["2.5.4.10"] = "O",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.6"] = "C",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
        ["2.5.4.9"] = "street",
        ["0.9.2342.19200300.100.1.1"] = "UID",
    };

    public static string Rfc2253(X500DistinguishedName dn) =>
        string.Join(",", Attributes(dn).Select(a => $"{a.Type}={Escape(a.Value)}"));

    /// <summary>(short name, value) pairs, most specific first.</summary>
    public static IReadOnlyList<(string Type, string Value)> Attributes(X500DistinguishedName dn)
    {
        var list = new List<(string, string)>();
        foreach (var rdn in dn.EnumerateRelativeDistinguishedNames(reversed: true))
        {
            if (rdn.HasMultipleElements)
            {
                continue; // multi-valued RDNs are not used by the operator's certificates
            }

            var oid = rdn.GetSingleElementType().Value ?? "";
            list.Add((ShortNames.TryGetValue(oid, out var s) ? s : oid, rdn.GetSingleElementValue() ?? ""));
        }

        return list;
    }

    /// <summary>The O/OU/DC attributes that decide cluster membership, order-insensitive ([W21]).</summary>
    public static IReadOnlyList<string> MembershipAttributes(X500DistinguishedName dn) =>
        [.. Attributes(dn).Where(a => a.Type is "O" or "OU" or "DC").Select(a => $"{a.Type}={a.Value}").Order(StringComparer.Ordinal)];

    private static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var special = c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                || (i == 0 && c is '#' or ' ')
                || (i == value.Length - 1 && c == ' ');
            if (special)
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
