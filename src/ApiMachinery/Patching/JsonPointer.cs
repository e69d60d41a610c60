using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>RFC 6901 JSON pointers: parsing with <c>~0</c>/<c>~1</c> unescaping, and formatting.</summary>
public static class JsonPointer
{
    /// <summary>Splits a pointer into unescaped reference tokens; "" is the whole document.</summary>
    public static IReadOnlyList<string> Parse(string pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new PatchException($"invalid JSON pointer \"{pointer}\": must be empty or start with '/'");
        }

        return pointer[1..].Split('/').Select(Unescape).ToArray();
    }

    /// <summary>Escapes one reference token (<c>~</c> → <c>~0</c>, <c>/</c> → <c>~1</c>).</summary>
    public static string Escape(string token) => token.Replace("~", "~0").Replace("/", "~1");

    /// <summary>Builds a pointer from unescaped tokens.</summary>
    public static string Format(IEnumerable<string> tokens) => string.Concat(tokens.Select(t => "/" + Escape(t)));

    private static string Unescape(string token)
    {
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '~' && (i + 1 >= token.Length || (token[i + 1] != '0' && token[i + 1] != '1')))
            {
                throw new PatchException($"invalid JSON pointer token \"{token}\": '~' must be followed by '0' or '1'");
            }
        }

        // Order matters (RFC 6901 §4): ~1 first, so "~01" becomes "~1", not "/".
        return token.Replace("~1", "/").Replace("~0", "~");
    }

    /// <summary>Resolves a pointer; returns false when any step is missing.</summary>
    public static bool TryGet(JsonNode? doc, IReadOnlyList<string> tokens, out JsonNode? value)
    {
        value = doc;
        foreach (var token in tokens)
        {
            switch (value)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    value = child;
                    break;
                case JsonArray arr when TryIndex(token, arr.Count, out var index):
                    value = arr[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        return true;
    }

    /// <summary>Parses an array index token: digits only, no leading zeros, below <paramref name="count"/>.</summary>
    public static bool TryIndex(string token, int count, out int index)
    {
        index = -1;
        if (token.Length == 0 || token.Length > 9 || !token.All(char.IsAsciiDigit) || (token.Length > 1 && token[0] == '0'))
        {
            return false;
        }

        index = int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
        return index < count;
    }
}
