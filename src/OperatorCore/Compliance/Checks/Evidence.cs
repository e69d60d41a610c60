using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>Formatting for evidence sentences: invariant, short, never a secret value.</summary>
internal static class Evidence
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Flag(bool value) => value ? "true" : "false";

    public static string Value(object? value) => value switch
    {
        null => "(not set)",
        bool b => Flag(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A short fingerprint, so long values (the audit filter) are comparable in a report.</summary>
    public static string Fingerprint(string text) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    public static string List(IEnumerable<string> items) => string.Join(", ", items);
}
