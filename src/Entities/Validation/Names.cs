using System.Globalization;
using System.Text.RegularExpressions;

namespace HipaaMongo.Entities.Validation;

/// <summary>Name and address syntax shared by the rules.</summary>
internal static partial class Names
{
    public static bool IsDnsSubdomain(string? name) =>
        name is { Length: > 0 and <= 253 } && DnsSubdomainRegex().IsMatch(name);

    /// <summary>Parses an LDAP URL; returns the scheme (ldap or ldaps) or null.</summary>
    public static string? LdapScheme(string? url)
    {
        if (url is null || url.Length > 270 || !LdapUrlRegex().IsMatch(url)) return null;
        var scheme = url[..url.IndexOf(':', StringComparison.Ordinal)];
        var rest = url[(scheme.Length + 3)..];
        var colon = rest.LastIndexOf(':');
        if (colon > 0 && !rest.EndsWith(']') &&
            !(int.TryParse(rest.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
              && port is >= 1 and <= 65535))
            return null;
        return scheme;
    }

    /// <summary>A label key: optional DNS-subdomain prefix and '/', then a name of up to 63 characters.</summary>
    public static bool IsLabelKey(string? key)
    {
        if (string.IsNullOrEmpty(key)) return false;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        return (slash < 0 || IsDnsSubdomain(key[..slash])) && name.Length is > 0 and <= 63 && LabelValueRegex().IsMatch(name);
    }

    public static bool IsLabelValue(string? value) =>
        value is not null && value.Length <= 63 && LabelValueRegex().IsMatch(value);

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex(ValidationPatterns.DnsSubdomain)]
    private static partial Regex DnsSubdomainRegex();

    [GeneratedRegex(ValidationPatterns.LdapUrl)]
    private static partial Regex LdapUrlRegex();
}
