using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HipaaMongo.Operator.Baseline.Yaml;

/// <summary>
/// Formats scalars so that any YAML 1.1 or 1.2 reader reads back the same type: strings that
/// look like booleans, nulls or numbers ("off", "5696") are quoted (secure-baseline.md 8.1 note),
/// strings with special characters are single-quoted so backslashes stay literal (the audit
/// filter's regex needs its "\\." verbatim, 4.3).
/// </summary>
public static partial class YamlScalar
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "",
    };

    public static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        string s => FormatString(s),
        _ => throw new ArgumentException($"unsupported scalar type {value.GetType().Name}", nameof(value)),
    };

    public static string FormatString(string s)
    {
        if (IsPlainSafe(s))
        {
            return s;
        }

        // Word-like strings that would read as another type ("off", "5696") get double quotes, as
        // in secure-baseline.md 8.1; anything with punctuation gets single quotes (no escapes).
        return s.Any(char.IsControl) || (PlainPattern().IsMatch(s) && !s.Contains(' ', StringComparison.Ordinal)) || s.Length == 0
            ? DoubleQuoted(s)
            : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    public static bool IsPlainSafe(string s) =>
        !Reserved.Contains(s) && PlainPattern().IsMatch(s) && !NumberLike().IsMatch(s)
        && !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal)
        && !s.EndsWith(':') && !s.EndsWith(' ') && !s.Contains("  ", StringComparison.Ordinal);

    public static string DoubleQuoted(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    // Conservative: starts with a letter, digit, '_' or '/', then characters that cannot open a YAML
    // token; ': ' and ' #' (which could) are excluded separately.
    [GeneratedRegex(@"^[A-Za-z0-9_/][A-Za-z0-9_./,@+=: -]*\z")]
    private static partial Regex PlainPattern();

    // Anything a YAML 1.1 resolver might read as a number (ints, floats, octal, hex, sexagesimal, dates).
    [GeneratedRegex(@"^[-+]?(\.?[0-9][0-9_.,:eE+-]*|0x[0-9a-fA-F_]+|0o[0-7]+|\.inf|\.nan)\z", RegexOptions.IgnoreCase)]
    private static partial Regex NumberLike();
}
