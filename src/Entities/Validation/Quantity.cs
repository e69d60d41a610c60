using System.Globalization;
using System.Text.RegularExpressions;

namespace HipaaMongo.Entities.Validation;

/// <summary>Parses Kubernetes quantities (resource.Quantity grammar) to a decimal number of base units.</summary>
public static partial class Quantity
{
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text) || !QuantityRegex().IsMatch(text)) return false;
        var split = text.IndexOfAny(['K', 'M', 'G', 'T', 'P', 'E', 'n', 'u', 'm', 'k', 'e']);
        var number = split < 0 ? text : text[..split];
        var suffix = split < 0 ? "" : text[split..];
        if (!decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var mantissa)) return false;
        try
        {
            value = mantissa * Multiplier(suffix);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static decimal Multiplier(string suffix) => suffix switch
    {
        "" => 1m,
        "n" => 1e-9m,
        "u" => 1e-6m,
        "m" => 1e-3m,
        "k" => 1e3m,
        "M" => 1e6m,
        "G" => 1e9m,
        "T" => 1e12m,
        "P" => 1e15m,
        "E" => 1e18m,
        "Ki" => 1024m,
        "Mi" => 1024m * 1024,
        "Gi" => 1024m * 1024 * 1024,
        "Ti" => 1024m * 1024 * 1024 * 1024,
        "Pi" => 1024m * 1024 * 1024 * 1024 * 1024,
        "Ei" => 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
        _ => Exponent(suffix),
    };

    // Decimal exponent form such as e3 or E-2.
    private static decimal Exponent(string suffix)
    {
        var exponent = int.Parse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent is > 28 or < -28) throw new OverflowException();
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++) result = exponent > 0 ? result * 10 : result / 10;
        return result;
    }

    [GeneratedRegex(ValidationPatterns.Quantity)]
    private static partial Regex QuantityRegex();
}
