using System.Globalization;
using System.Text.RegularExpressions;

namespace HipaaMongo.Entities.Validation;

/// <summary>Parses Go duration strings (time.ParseDuration, unsigned), the format cert-manager and CEL use.</summary>
public static partial class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || !WholeRegex().IsMatch(text)) return false;
        double ticks = 0;
        foreach (Match part in PartRegex().Matches(text))
        {
            var number = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += number * UnitTicks(part.Groups[2].Value);
        }

        if (ticks > TimeSpan.MaxValue.Ticks) return false;
        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    private static double UnitTicks(string unit) => unit switch
    {
        "ns" => 0.01,
        "us" => 10,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        _ => TimeSpan.TicksPerHour,
    };

    [GeneratedRegex(ValidationPatterns.GoDuration)]
    private static partial Regex WholeRegex();

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h)")]
    private static partial Regex PartRegex();
}
