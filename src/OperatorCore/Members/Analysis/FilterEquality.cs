using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// Whether two audit filters mean the same query. The rendered filter is a JSON string (auditLog.filter), the runtime
/// one a document (auditConfig.filter) or a string (auditGetOptions), so they are compared parsed, not as text:
/// field order inside a document carries no meaning for a query filter, numbers compare by value (1 and 1.0), and
/// array order is kept (it is part of the value, e.g. an $in list is compared as written).
/// </summary>
internal static class FilterEquality
{
    /// <summary>A filter string parsed as mongod's JSON (unquoted names, /regex/ literals), or null when it is not a document.</summary>
    public static BsonDocument? Parse(string? filter)
    {
        if (filter is null)
        {
            return null;
        }

        try
        {
            return BsonDocument.Parse(filter);
        }
        catch (Exception e) when (e is FormatException or BsonException or ArgumentException or InvalidOperationException or EndOfStreamException)
        {
            return null;
        }
    }

    public static bool Same(BsonValue a, BsonValue b) => (a, b) switch
    {
        (BsonDocument x, BsonDocument y) => SameDocument(x, y),
        (BsonArray x, BsonArray y) => x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second)),
        (BsonRegularExpression x, BsonRegularExpression y) => x.Pattern == y.Pattern && Sorted(x.Options) == Sorted(y.Options),
        _ when BsonRead.Number(a) is { } x && BsonRead.Number(b) is { } y => x.Equals(y),
        _ => a.Equals(b),
    };

    // Duplicate names make a document ambiguous; such a filter is never "the same" as the rendered one.
    private static bool SameDocument(BsonDocument x, BsonDocument y)
    {
        if (x.ElementCount != y.ElementCount || x.Names.Distinct(StringComparer.Ordinal).Count() != x.ElementCount)
        {
            return false;
        }

        return x.Elements.All(e => y.TryGetValue(e.Name, out var other) && Same(e.Value, other));
    }

    private static string Sorted(string options) => new([.. options.Order()]);
}
