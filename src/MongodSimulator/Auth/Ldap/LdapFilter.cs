using System.Formats.Asn1;
using System.Text;

namespace HipaaMongo.MongodSimulator.Auth.Ldap;

/// <summary>
/// An RFC 4515 search filter string written as the BER Filter of RFC 4511 §4.5.1.7: and (&amp;), or (|), not (!),
/// equality, presence (attr=*), substrings, &gt;=, &lt;= and ~=. Values keep RFC 4515's \XX escapes, decoded here.
/// </summary>
internal static class LdapFilter
{
    public static void Write(AsnWriter writer, string filter)
    {
        var text = filter.Trim();
        if (!text.StartsWith('('))
        {
            text = "(" + text + ")"; // RFC 4516 allows an unparenthesised filter in a URL
        }

        var end = WriteOne(writer, text, 0);
        if (end != text.Length)
        {
            throw new FormatException($"bad LDAP filter: {filter}");
        }
    }

    // Writes the filter that starts at text[at] == '(' and returns the index after its ')'.
    private static int WriteOne(AsnWriter w, string text, int at)
    {
        Expect(text, at, '(');
        var i = at + 1;
        if (i >= text.Length)
        {
            throw new FormatException("bad LDAP filter: unterminated");
        }

        switch (text[i])
        {
            case '&':
            case '|':
                var set = Context(text[i] == '&' ? 0 : 1, constructed: true);
                w.PushSequence(set);
                i++;
                while (i < text.Length && text[i] == '(')
                {
                    i = WriteOne(w, text, i);
                }
                w.PopSequence(set);
                break;
            case '!':
                var not = Context(2, constructed: true);
                w.PushSequence(not);
                i = WriteOne(w, text, i + 1);
                w.PopSequence(not);
                break;
            default:
                var close = text.IndexOf(')', i);
                if (close < 0)
                {
                    throw new FormatException("bad LDAP filter: unterminated");
                }
                WriteItem(w, text[i..close]);
                i = close;
                break;
        }

        Expect(text, i, ')');
        return i + 1;
    }

    private static void WriteItem(AsnWriter w, string item)
    {
        var eq = item.IndexOf('=');
        if (eq <= 0)
        {
            throw new FormatException($"bad LDAP filter item: {item}");
        }

        var op = item[eq - 1];
        var attr = op is '>' or '<' or '~' ? item[..(eq - 1)] : item[..eq];
        var value = item[(eq + 1)..];
        var tag = op switch { '>' => 5, '<' => 6, '~' => 8, _ => -1 };
        if (tag > 0)
        {
            Pair(w, tag, attr, Unescape(value));
        }
        else if (value == "*")
        {
            w.WriteOctetString(Encoding.UTF8.GetBytes(attr), Context(7, constructed: false));
        }
        else if (value.Contains('*', StringComparison.Ordinal))
        {
            Substrings(w, attr, value.Split('*'));
        }
        else
        {
            Pair(w, 3, attr, Unescape(value));
        }
    }

    private static void Pair(AsnWriter w, int tagNumber, string attr, byte[] value)
    {
        var tag = Context(tagNumber, constructed: true);
        w.PushSequence(tag);
        w.WriteOctetString(Encoding.UTF8.GetBytes(attr));
        w.WriteOctetString(value);
        w.PopSequence(tag);
    }

    // SubstringFilter: initial [0] (before the first *), any [1] (between), final [2] (after the last *).
    private static void Substrings(AsnWriter w, string attr, string[] parts)
    {
        var tag = Context(4, constructed: true);
        w.PushSequence(tag);
        w.WriteOctetString(Encoding.UTF8.GetBytes(attr));
        w.PushSequence();
        for (var k = 0; k < parts.Length; k++)
        {
            if (parts[k].Length == 0)
            {
                continue;
            }
            var kind = k == 0 ? 0 : k == parts.Length - 1 ? 2 : 1;
            w.WriteOctetString(Unescape(parts[k]), Context(kind, constructed: false));
        }
        w.PopSequence();
        w.PopSequence(tag);
    }

    // RFC 4515 §3: a value escapes a byte as \XX (two hex digits); everything else is UTF-8 text.
    private static byte[] Unescape(string value)
    {
        var bytes = new List<byte>(value.Length);
        var run = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\')
            {
                run.Append(value[i]);
                continue;
            }
            if (i + 2 >= value.Length)
            {
                throw new FormatException($"bad LDAP filter value escape: {value}");
            }
            bytes.AddRange(Encoding.UTF8.GetBytes(run.ToString()));
            run.Clear();
            bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
            i += 2;
        }
        bytes.AddRange(Encoding.UTF8.GetBytes(run.ToString()));
        return [.. bytes];
    }

    private static Asn1Tag Context(int number, bool constructed) => new(TagClass.ContextSpecific, number, constructed);

    private static void Expect(string text, int at, char c)
    {
        if (at >= text.Length || text[at] != c)
        {
            throw new FormatException($"bad LDAP filter: expected '{c}' at {at} in {text}");
        }
    }
}
