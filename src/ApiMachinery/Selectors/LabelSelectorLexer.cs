namespace HipaaMongo.ApiMachinery;

internal enum SelectorToken
{
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

/// <summary>The lexer of k8s.io/apimachinery/pkg/labels/selector.go, token for token.</summary>
internal static class LabelSelectorLexer
{
    private static readonly Dictionary<string, SelectorToken> Keywords = new(StringComparer.Ordinal)
    {
        [")"] = SelectorToken.ClosedPar,
        [","] = SelectorToken.Comma,
        ["!"] = SelectorToken.DoesNotExist,
        ["=="] = SelectorToken.DoubleEquals,
        ["="] = SelectorToken.Equals,
        [">"] = SelectorToken.GreaterThan,
        ["in"] = SelectorToken.In,
        ["<"] = SelectorToken.LessThan,
        ["!="] = SelectorToken.NotEquals,
        ["notin"] = SelectorToken.NotIn,
        ["("] = SelectorToken.OpenPar,
    };

    internal static List<(SelectorToken Token, string Literal)> Scan(string s)
    {
        var items = new List<(SelectorToken, string)>();
        var pos = 0;
        while (true)
        {
            while (pos < s.Length && IsWhitespace(s[pos]))
            {
                pos++;
            }

            if (pos >= s.Length)
            {
                items.Add((SelectorToken.EndOfString, ""));
                return items;
            }

            items.Add(IsSpecial(s[pos]) ? ScanSpecial(s, ref pos) : ScanIdentifier(s, ref pos));
        }
    }

    private static (SelectorToken, string) ScanIdentifier(string s, ref int pos)
    {
        var start = pos;
        while (pos < s.Length && !IsSpecial(s[pos]) && !IsWhitespace(s[pos]))
        {
            pos++;
        }

        var text = s[start..pos];
        return (Keywords.TryGetValue(text, out var t) ? t : SelectorToken.Identifier, text);
    }

    // Longest run of special symbols that is still a known operator ("!=" over "!").
    private static (SelectorToken, string) ScanSpecial(string s, ref int pos)
    {
        (SelectorToken, string)? last = null;
        var start = pos;
        while (pos < s.Length && IsSpecial(s[pos]))
        {
            var candidate = s[start..(pos + 1)];
            if (Keywords.TryGetValue(candidate, out var t))
            {
                last = (t, candidate);
            }
            else if (last is not null)
            {
                break;
            }

            pos++;
        }

        return last ?? (SelectorToken.Error, $"error expected: keyword found '{s[start..pos]}'");
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';
}
