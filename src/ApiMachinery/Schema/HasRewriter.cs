using System.Text;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// Rewrites the <c>has(e.f)</c> macro to <c>('f' in (e))</c>, map-key presence, which is what kube-apiserver's
/// has() means on objects (see <see cref="KubeCel"/>). String literals are copied untouched; a member call
/// <c>x.has(...)</c> is not the macro and stays as written.
/// </summary>
internal static class HasRewriter
{
    public static string Rewrite(string rule)
    {
        var output = new StringBuilder(rule.Length + 16);
        var i = 0;
        while (i < rule.Length)
        {
            var c = rule[i];
            if (IsQuote(rule, i))
            {
                var end = SkipString(rule, i);
                output.Append(rule, i, end - i);
                i = end;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < rule.Length && (char.IsLetterOrDigit(rule[i]) || rule[i] == '_')) i++;
                var word = rule[start..i];
                if (word == "has" && !AfterDot(output) && TryMacro(rule, i, out var replacement, out var next))
                {
                    output.Append(replacement);
                    i = next;
                }
                else
                {
                    output.Append(word);
                }
            }
            else
            {
                output.Append(c);
                i++;
            }
        }
        return output.ToString();
    }

    // has( <operand> . <field> ) starting at `from` (just after the word "has").
    private static bool TryMacro(string rule, int from, out string replacement, out int next)
    {
        replacement = "";
        next = from;
        var open = from;
        while (open < rule.Length && char.IsWhiteSpace(rule[open])) open++;
        if (open >= rule.Length || rule[open] != '(') return false;
        var close = Matching(rule, open);
        if (close < 0) return false;
        var argument = rule[(open + 1)..close];
        var dot = LastTopLevelDot(argument);
        if (dot < 0) return false;
        var field = argument[(dot + 1)..].Trim();
        if (field.Length == 0 || !field.All(ch => char.IsLetterOrDigit(ch) || ch == '_') || char.IsDigit(field[0])) return false;
        replacement = $"('{field}' in ({Rewrite(argument[..dot])}))";
        next = close + 1;
        return true;
    }

    private static bool AfterDot(StringBuilder output)
    {
        for (var k = output.Length - 1; k >= 0; k--)
        {
            if (!char.IsWhiteSpace(output[k])) return output[k] == '.';
        }
        return false;
    }

    // The index of the bracket closing the one at `open`, or -1.
    private static int Matching(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (IsQuote(text, i))
            {
                i = SkipString(text, i) - 1;
                continue;
            }
            depth += text[i] switch { '(' or '[' or '{' => 1, ')' or ']' or '}' => -1, _ => 0 };
            if (depth == 0) return i;
        }
        return -1;
    }

    private static int LastTopLevelDot(string text)
    {
        var depth = 0;
        var last = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (IsQuote(text, i))
            {
                i = SkipString(text, i) - 1;
                continue;
            }
            depth += text[i] switch { '(' or '[' or '{' => 1, ')' or ']' or '}' => -1, _ => 0 };
            if (depth == 0 && text[i] == '.') last = i;
        }
        return last;
    }

    private static bool IsQuote(string text, int i) => text[i] is '\'' or '"';

    // The index just past the string literal starting at `start` (quotes single, double or tripled; a raw prefix
    // r/R before the quote turns escapes off).
    private static int SkipString(string text, int start)
    {
        var quote = text[start];
        var raw = start > 0 && text[start - 1] is 'r' or 'R' && (start < 2 || !char.IsLetterOrDigit(text[start - 2]));
        var triple = start + 2 < text.Length && text[start + 1] == quote && text[start + 2] == quote;
        var delimiter = triple ? new string(quote, 3) : quote.ToString();
        var i = start + delimiter.Length;
        while (i < text.Length)
        {
            if (!raw && text[i] == '\\')
            {
                i += 2;
                continue;
            }
            if (string.CompareOrdinal(text, i, delimiter, 0, delimiter.Length) == 0) return i + delimiter.Length;
            i++;
        }
        return text.Length;
    }
}
