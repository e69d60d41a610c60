using System.Globalization;

namespace HipaaMongo.ApiMachinery.Time;

/// <summary>
/// Go's time.ParseDuration / Duration.String (what Kubernetes flags and fields such as `2160h` use): an optional
/// sign, then one or more decimal numbers, each with an optional fraction and a unit ns, us (µs, μs), ms, s, m, h;
/// "0" alone needs no unit. Precision is .NET's tick (100 ns); finer parts are truncated.
/// </summary>
public static class GoDuration
{
    static readonly (string Unit, double Nanos)[] Units =
    [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ];

    /// <summary>Parses or throws <see cref="FormatException"/> with Go's message (`time: invalid duration "x"`).</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(text, out var value) is { } error ? throw new FormatException(error) : value;
    }

    public static bool TryParse(string text, out TimeSpan value) => Read(text, out value) is null;

    /// <summary>
    /// An unsigned duration, the form a CRD pattern such as cert-manager's admits: null, empty and signed text
    /// ("-1h", "+2h") are refused.
    /// </summary>
    public static bool TryParseUnsigned(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        return text is { Length: > 0 } && char.IsAsciiDigit(text[0]) && TryParse(text, out value);
    }

    /// <summary>Like <see cref="TryParse(string, out TimeSpan)"/>, also giving Go's error text on failure.</summary>
    public static bool TryParse(string text, out TimeSpan value, out string? error)
    {
        error = Read(text, out value);
        return error is null;
    }

    /// <summary>Null on success, else Go's error text (time/format.go ParseDuration).</summary>
    static string? Read(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var invalid = $"time: invalid duration \"{text}\"";
        var s = text ?? "";
        var negative = s.StartsWith('-');
        if (s.StartsWith('-') || s.StartsWith('+'))
        {
            s = s[1..];
        }
        if (s == "0")
        {
            return null;
        }
        if (s.Length == 0)
        {
            return invalid;
        }
        double nanos = 0;
        while (s.Length > 0)
        {
            var numberLength = 0;
            while (numberLength < s.Length && (char.IsAsciiDigit(s[numberLength]) || s[numberLength] == '.'))
            {
                numberLength++;
            }
            var number = s[..numberLength];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1
                || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return invalid;
            }
            s = s[numberLength..];
            // The unit is every character up to the next digit or dot, looked up exactly (Go's unitMap).
            var unitText = new string([.. s.TakeWhile(c => c != '.' && !char.IsAsciiDigit(c))]);
            if (unitText.Length == 0)
            {
                return $"time: missing unit in duration \"{text}\"";
            }
            var unit = Units.FirstOrDefault(u => u.Unit == unitText);
            if (unit.Unit is null)
            {
                return $"time: unknown unit \"{unitText}\" in duration \"{text}\"";
            }
            s = s[unitText.Length..];
            nanos += amount * unit.Nanos;
        }
        // Go's Duration is an int64 of nanoseconds (about 292 years).
        if (nanos > long.MaxValue)
        {
            return invalid;
        }
        value = TimeSpan.FromTicks((long)(nanos / 100) * (negative ? -1 : 1));
        return null;
    }

    /// <summary>Go's Duration.String for whole seconds and above: `2160h0m0s`, `1m30s`, `0s`.</summary>
    public static string Format(TimeSpan d)
    {
        if (d == TimeSpan.Zero)
        {
            return "0s";
        }
        var sign = d < TimeSpan.Zero ? "-" : "";
        var abs = d.Duration();
        var hours = (long)abs.TotalHours;
        var seconds = abs.TotalSeconds - (hours * 3600) - (abs.Minutes * 60);
        var secondsText = seconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s";
        if (hours > 0)
        {
            return $"{sign}{hours}h{abs.Minutes}m{secondsText}";
        }
        return abs.Minutes > 0 ? $"{sign}{abs.Minutes}m{secondsText}" : sign + secondsText;
    }
}
