using System.Globalization;
using System.Text.RegularExpressions;

namespace HipaaMongo.Entities.Validation;

/// <summary>host:port, the one parser for server addresses (KMIP servers, LDAP hosts): validation and rendering share it.</summary>
public static partial class HostPorts
{
    /// <summary>
    /// Parses host:port (IPv6 in brackets) with a port from 1 to 65535. With <paramref name="defaultPort"/>, a host
    /// without a port gets it (LDAP's 636, as mongod's LDAPHost::parse defaults it).
    /// </summary>
    public static bool TryParse(string? text, out string host, out int port, int? defaultPort = null)
    {
        host = "";
        port = 0;
        if (text is null) return false;
        if (defaultPort is { } fallback && !HasPort(text)) text = string.Create(CultureInfo.InvariantCulture, $"{text}:{fallback}");
        if (text.Length > 262 || !HostPortRegex().IsMatch(text)) return false;
        var colon = text.LastIndexOf(':');
        host = text[..colon];
        return int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is >= 1 and <= 65535 && (!host.StartsWith('[') || host.Length > 2);
    }

    // A colon after any closing bracket separates a port ("[::1]" alone has none).
    private static bool HasPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon >= 0 && colon > text.LastIndexOf(']');
    }

    [GeneratedRegex(ValidationPatterns.HostPort)]
    private static partial Regex HostPortRegex();
}
