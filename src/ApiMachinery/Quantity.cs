using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// resource.Quantity (k8s.io/apimachinery/pkg/api/resource): parse and print in canonical form, as kube-apiserver
/// does for built-in kinds (<c>1000m</c> → <c>1</c>, <c>0.5</c> → <c>500m</c>, <c>1024Mi</c> → <c>1Gi</c>,
/// <c>0.5Gi</c> → <c>512Mi</c>). Precision below nano is rounded up, away from zero.
/// </summary>
public static partial class Quantity
{
    /// <summary>kube-apiserver's text for an unparsable quantity.</summary>
    public const string FormatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private static readonly BigInteger Nano = BigInteger.Pow(10, 9);
    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    /// <summary>Canonical form; throws <see cref="FormatException"/> with <see cref="FormatError"/> on bad input.</summary>
    public static string Canonicalize(string text)
    {
        var (nanos, format) = Parse(text);
        return format == Format.Binary ? PrintBinary(nanos) : PrintDecimal(nanos, format == Format.Exponent);
    }

    /// <summary>Like <see cref="Canonicalize"/> but returns false instead of throwing.</summary>
    public static bool TryCanonicalize(string text, out string canonical)
    {
        try
        {
            canonical = Canonicalize(text);
            return true;
        }
        catch (FormatException)
        {
            canonical = text;
            return false;
        }
    }

    /// <summary>Compares two quantities by value (<c>1Gi</c> &gt; <c>1G</c>).</summary>
    public static int Compare(string a, string b) => Parse(a).Nanos.CompareTo(Parse(b).Nanos);

    /// <summary>The value in nano units, or false when <paramref name="text"/> is not a quantity.</summary>
    public static bool TryParse(string? text, out BigInteger nanos)
    {
        try
        {
            nanos = Parse(text ?? "").Nanos;
            return true;
        }
        catch (FormatException)
        {
            nanos = BigInteger.Zero;
            return false;
        }
    }

    /// <summary>The value in nano units; throws <see cref="FormatException"/> on bad input.</summary>
    internal static BigInteger Nanos(string text) => Parse(text).Nanos;

    private enum Format
    {
        Decimal,
        Binary,
        Exponent,
    }

    private static (BigInteger Nanos, Format Format) Parse(string text)
    {
        var m = Syntax().Match(text ?? "");
        if (!m.Success || (m.Groups["int"].Length == 0 && m.Groups["frac"].Length == 0))
        {
            throw new FormatException(FormatError);
        }

        var digits = m.Groups["int"].Value + m.Groups["frac"].Value;
        var mantissa = BigInteger.Parse("0" + digits, CultureInfo.InvariantCulture);
        var (multiplier, decimalExponent, format) = Suffix(m.Groups["suffix"].Value);
        var exponent = decimalExponent - m.Groups["frac"].Length + 9; // in nano units
        var scaled = mantissa * multiplier;
        var nanos = exponent >= 0 ? scaled * BigInteger.Pow(10, exponent) : DivideRoundingUp(scaled, BigInteger.Pow(10, -exponent));
        return (m.Groups["sign"].Value == "-" ? -nanos : nanos, format);
    }

    private static (BigInteger Multiplier, int DecimalExponent, Format Format) Suffix(string suffix)
    {
        var binary = Array.IndexOf(BinarySuffixes, suffix);
        if (binary > 0)
        {
            return (BigInteger.Pow(1024, binary), 0, Format.Binary);
        }

        if (suffix.Length > 1 && suffix[0] is 'e' or 'E')
        {
            return (1, int.Parse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), Format.Exponent);
        }

        var exponent = suffix switch
        {
            "n" => -9,
            "u" => -6,
            "m" => -3,
            "" => 0,
            "k" => 3,
            "M" => 6,
            "G" => 9,
            "T" => 12,
            "P" => 15,
            "E" => 18,
            _ => throw new FormatException(FormatError),
        };
        return (1, exponent, Format.Decimal);
    }

    private static BigInteger DivideRoundingUp(BigInteger value, BigInteger divisor)
    {
        var quotient = BigInteger.DivRem(value, divisor, out var remainder);
        return remainder.IsZero ? quotient : quotient + 1;
    }

    private static string PrintDecimal(BigInteger nanos, bool exponentForm)
    {
        if (nanos.IsZero)
        {
            return "0";
        }

        var sign = nanos.Sign < 0 ? "-" : "";
        var abs = BigInteger.Abs(nanos);
        var exponent = -9;
        while (exponent < 18 && (abs % 1000).IsZero)
        {
            abs /= 1000;
            exponent += 3;
        }

        var suffix = exponentForm
            ? (exponent == 0 ? "" : "e" + exponent.ToString(CultureInfo.InvariantCulture))
            : exponent switch { -9 => "n", -6 => "u", -3 => "m", 0 => "", 3 => "k", 6 => "M", 9 => "G", 12 => "T", 15 => "P", _ => "E" };
        return sign + abs.ToString(CultureInfo.InvariantCulture) + suffix;
    }

    // BinarySI prints as DecimalSI when |v| < 1024 or v is not whole, as Quantity.CanonicalizeBytes does.
    private static string PrintBinary(BigInteger nanos)
    {
        var whole = BigInteger.DivRem(nanos, Nano, out var fraction);
        if (!fraction.IsZero || BigInteger.Abs(whole) < 1024)
        {
            return PrintDecimal(nanos, exponentForm: false);
        }

        var sign = whole.Sign < 0 ? "-" : "";
        var abs = BigInteger.Abs(whole);
        var power = 0;
        while (power < 6 && (abs % 1024).IsZero)
        {
            abs /= 1024;
            power++;
        }

        return sign + abs.ToString(CultureInfo.InvariantCulture) + BinarySuffixes[power];
    }

    [GeneratedRegex(@"^(?<sign>[+-]?)(?<int>[0-9]*)(?:\.(?<frac>[0-9]*))?(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Syntax();
}
