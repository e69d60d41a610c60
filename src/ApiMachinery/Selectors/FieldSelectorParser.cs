using System.Text;

namespace HipaaMongo.ApiMachinery;

/// <summary>k8s.io/apimachinery/pkg/fields/selector.go: <c>ParseSelector</c> with its escaping and error texts.</summary>
internal static class FieldSelectorParser
{
    internal static FieldSelector Parse(string text)
    {
        var terms = new List<FieldRequirement>();
        foreach (var part in SplitTerms(text))
        {
            if (part.Length == 0)
            {
                continue;
            }

            terms.Add(ParseTerm(part));
        }

        return new FieldSelector(terms.OrderBy(t => t.Field, StringComparer.Ordinal).ToArray());
    }

    internal static string Print(FieldSelector selector) => string.Join(",", selector.Requirements.Select(r =>
        r.Field + (r.Operator == SelectorOperator.NotEquals ? "!=" : "=") + Escape(r.Value)));

    internal static string Escape(string value) => value.Replace("\\", "\\\\").Replace(",", "\\,").Replace("=", "\\=");

    // Splits on unescaped commas, keeping escapes for the term parser.
    private static List<string> SplitTerms(string text)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ',')
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    private static FieldRequirement ParseTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }

            foreach (var (op, kind) in new[] { ("!=", SelectorOperator.NotEquals), ("==", SelectorOperator.DoubleEquals), ("=", SelectorOperator.Equals) })
            {
                if (string.CompareOrdinal(term, i, op, 0, op.Length) == 0)
                {
                    var field = term[..i];
                    var value = Unescape(term[(i + op.Length)..]);
                    return new FieldRequirement(field, kind, value);
                }
            }
        }

        throw new SelectorException($"invalid selector: '{term}'; can't understand '{term}'");
    }

    private static string Unescape(string value)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                if (i + 1 >= value.Length || value[i + 1] is not ('\\' or ',' or '='))
                {
                    throw new SelectorException($"invalid field selector: invalid escape sequence: {value}");
                }

                c = value[++i];
            }
            else if (c is '=' or ',')
            {
                throw new SelectorException($"invalid field selector: unescaped {c} in value: {value}");
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
