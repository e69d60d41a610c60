using System.Globalization;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// Scalars of the stored evidence record: exact UTC times, closed outcome words, and length caps that bound
/// the record's size whatever text a check produced.
/// </summary>
internal static class StoredText
{
    /// <summary>Names, kinds, targets, reasons, subjects, hashes.</summary>
    public const int ShortLength = 256;

    /// <summary>Evidence sentences, safeguard messages, drift details.</summary>
    public const int LongLength = 1024;

    private const string Marker = "...[truncated]";

    // UTC with up to 100 ns: a time read back is the same instant, so a round trip is byte-stable.
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? at) => at is { } t ? Time(t) : null;

    public static DateTimeOffset ParseTime(string? text, string field) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new FormatException($"{field}: '{Short(text)}' is not a UTC time like 2026-11-25T06:00:00Z");

    public static DateTimeOffset? ParseOptionalTime(string? text, string field) => text is null ? null : ParseTime(text, field);

    public static Outcome ParseOutcome(string? text, string field) => text switch
    {
        "Pass" => Outcome.Pass,
        "Fail" => Outcome.Fail,
        "Unknown" => Outcome.Unknown,
        _ => throw new FormatException($"{field}: '{Short(text)}' is not one of Pass, Fail, Unknown"),
    };

    public static ComplianceState ParseState(string? text, string field) => text switch
    {
        "True" => ComplianceState.True,
        "False" => ComplianceState.False,
        "Unknown" => ComplianceState.Unknown,
        _ => throw new FormatException($"{field}: '{Short(text)}' is not one of True, False, Unknown"),
    };

    /// <summary>Cuts text to at most <paramref name="max"/> chars with a marker; idempotent, never splits a surrogate pair.</summary>
    public static string Cap(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var keep = max - Marker.Length;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), Marker);
    }

    // Error messages quote a little of the bad value, never all of it.
    private static string Short(string? text) => text is null ? "null" : text.Length <= 40 ? text : text[..40] + "...";
}
