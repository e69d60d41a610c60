using System.Globalization;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// Reads values out of command replies without ever throwing: a missing reply, a missing field or a field of
/// an unexpected BSON type gives null ("not read"), never a guessed value.
/// </summary>
internal static class BsonRead
{
    /// <summary>The value at a dotted path ("parsed.net.tls.mode"), or null when any step is missing or not a document.</summary>
    public static BsonValue? At(BsonDocument? doc, string path)
    {
        BsonValue? current = doc;
        foreach (var part in path.Split('.'))
        {
            if (current is not BsonDocument d || !d.TryGetValue(part, out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? String(BsonValue? value) => value is BsonString s ? s.Value : null;

    public static BsonDocument? Document(BsonValue? value) => value as BsonDocument;

    public static BsonArray? Array(BsonValue? value) => value as BsonArray;

    /// <summary>A BSON boolean, or (setParameter values in getCmdLineOpts.parsed are strings) "true"/"false".</summary>
    public static bool? Bool(BsonValue? value) => value switch
    {
        BsonBoolean b => b.Value,
        BsonString { Value: "true" } => true,
        BsonString { Value: "false" } => false,
        _ => null,
    };

    /// <summary>An integral number (int32, int64, or a double with no fraction), or an integer string (setParameter).</summary>
    public static long? Integer(BsonValue? value) => value switch
    {
        BsonInt32 i => i.Value,
        BsonInt64 l => l.Value,
        BsonDouble d when double.IsFinite(d.Value) && Math.Floor(d.Value) == d.Value && Math.Abs(d.Value) < 9e15 => (long)d.Value,
        BsonString s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <summary>A number of any BSON numeric type (replSetGetStatus health is a double 1.0 or an int).</summary>
    public static double? Number(BsonValue? value) => value switch
    {
        BsonInt32 i => i.Value,
        BsonInt64 l => l.Value,
        BsonDouble d when double.IsFinite(d.Value) => d.Value,
        _ => null,
    };

    public static DateTimeOffset? Date(BsonValue? value)
    {
        if (value is not BsonDateTime dt)
        {
            return null;
        }

        // Dates outside DateTime's range cannot be a served certificate's expiry we can act on.
        var ms = dt.MillisecondsSinceEpoch;
        return ms is >= -62135596800000L and <= 253402300799999L ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }
}
