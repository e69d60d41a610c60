using System.Globalization;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>Parses and formats Go time.Duration strings ("2160h", "1h30m0s", "90s") as cert-manager's fields use.</summary>
public static class GoDuration
{
    /// <summary>Parses <paramref name="text"/>; throws FormatException naming the bad value.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var s = text.Trim();
        var negative = s.StartsWith('-');
        s = s.TrimStart('+', '-');
        if (s == "0")
        {
            return TimeSpan.Zero;
        }
        var total = 0.0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }
            if (start == unitStart || unitStart == i
                || !double.TryParse(s[start..unitStart], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                throw new FormatException($"'{text}' is not a Go duration (e.g. 2160h, 30m, 1h30m)");
            }
            total += n * UnitTicks(s[unitStart..i], text);
        }
        return TimeSpan.FromTicks((long)(negative ? -total : total));
    }

    /// <summary>Formats as Go does for whole seconds: "2160h0m0s".</summary>
    public static string Format(TimeSpan value)
    {
        var seconds = (long)value.TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h{seconds % 3600 / 60}m{seconds % 60}s");
    }

    private static double UnitTicks(string unit, string text) => unit switch
    {
        "ns" => 0.01,
        "us" or "µs" => TimeSpan.TicksPerMicrosecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        "h" => TimeSpan.TicksPerHour,
        _ => throw new FormatException($"'{text}' has unknown duration unit '{unit}'"),
    };
}
