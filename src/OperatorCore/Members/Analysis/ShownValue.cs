using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// How a found or desired value appears in a drift sentence: short, invariant, and never a secret. mongod
/// replaces redactable option values with "&lt;password&gt;" (secure-baseline.md 7.1); those and any value of a
/// secret-looking option are never echoed, and long values (the audit filter) appear as a fingerprint.
/// </summary>
internal static class ShownValue
{
    private const int MaxLength = 80;
    private const string Redacted = "<password>";

    public static string Of(string path, BsonValue? value) => value switch
    {
        null => "absent",
        _ when IsSecret(path) => "(redacted)",
        BsonString { Value: Redacted } => "(redacted)",
        BsonArray a when a.Contains(new BsonString(Redacted)) => "(redacted)", // a list is redacted element by element
        BsonBoolean b => b.Value ? "true" : "false",
        BsonString s => Text(s.Value),
        BsonInt32 or BsonInt64 or BsonDouble => Convert.ToString(value.ToDouble(), CultureInfo.InvariantCulture),
        BsonArray a when a.All(v => v is BsonString) => Text(string.Join(',', a.Select(v => v.AsString))),
        _ => $"a {value.BsonType} value",
    };

    public static string Of(string path, object value) => IsSecret(path) ? "(redacted)" : value switch
    {
        bool b => b ? "true" : "false",
        string s => Text(s),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Text(value.ToString() ?? ""),
    };

    private static bool IsSecret(string path) =>
        path.Contains("password", StringComparison.OrdinalIgnoreCase) || path.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || path.Contains("token", StringComparison.OrdinalIgnoreCase) || path.EndsWith("keyIdentifier", StringComparison.Ordinal);

    private static string Text(string s) => s.Length <= MaxLength && !s.Contains('\n', StringComparison.Ordinal)
        ? $"'{s}'"
        : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..12];
}
