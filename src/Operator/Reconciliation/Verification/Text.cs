using System.Globalization;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>Event text helpers.</summary>
internal static class Text
{
    // Event notes are limited to 1 kB by the API server.
    public static string Limit(string message) => message.Length <= 1000 ? message : message[..997] + "...";

    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "unknown";
}
