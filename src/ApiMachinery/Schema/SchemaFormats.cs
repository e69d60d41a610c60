using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HipaaMongo.ApiMachinery;

/// <summary>The simple OpenAPI string formats kube-apiserver checks; unknown formats are accepted, as there.</summary>
internal static class SchemaFormats
{
    internal static bool IsValid(string format, string s) => format switch
    {
        "date-time" => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) && s.Contains('T', StringComparison.OrdinalIgnoreCase),
        "date" => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uuid" => Guid.TryParseExact(s, "D", out _),
        "byte" => IsBase64(s),
        "ipv4" => IPAddress.TryParse(s, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork && s.Count(c => c == '.') == 3,
        "ipv6" => IPAddress.TryParse(s, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6,
        "int32" => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        "int64" => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        _ => true,
    };

    private static bool IsBase64(string s)
    {
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out _);
    }
}
