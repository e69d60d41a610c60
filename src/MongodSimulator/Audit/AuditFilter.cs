using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Audit;

/// <summary>A small subset of the query language for auditLog.filter: field equality, $in, $or, dotted paths.</summary>
internal static class AuditFilter
{
    public static bool Matches(BsonDocument filter, BsonDocument doc) => filter.All(e => MatchElement(e, doc));

    private static bool MatchElement(BsonElement e, BsonDocument doc)
    {
        if (e.Name == "$or" && e.Value is BsonArray ors)
        {
            return ors.Any(o => o is BsonDocument d && Matches(d, doc));
        }

        if (e.Name == "$and" && e.Value is BsonArray ands)
        {
            return ands.All(o => o is BsonDocument d && Matches(d, doc));
        }

        var actual = Lookup(doc, e.Name);
        if (e.Value is BsonDocument op && op.ElementCount > 0 && op.GetElement(0).Name.StartsWith('$'))
        {
            return op.All(o => o.Name switch
            {
                "$in" => o.Value is BsonArray a && actual is not null && a.Contains(actual),
                "$nin" => o.Value is BsonArray a && (actual is null || !a.Contains(actual)),
                "$ne" => actual is null || !actual.Equals(o.Value),
                "$eq" => actual is not null && actual.Equals(o.Value),
                "$exists" => (actual is not null) == o.Value.ToBoolean(),
                _ => true, // operators the simulator does not evaluate let the event through (audit more, never less)
            });
        }

        return actual is not null && (actual.Equals(e.Value) || (e.Value.IsNumeric && actual.IsNumeric && actual.ToDouble() == e.Value.ToDouble()));
    }

    private static BsonValue? Lookup(BsonDocument doc, string dotted)
    {
        BsonValue current = doc;
        foreach (var part in dotted.Split('.'))
        {
            if (current is not BsonDocument d || !d.TryGetValue(part, out current))
            {
                return null;
            }
        }

        return current;
    }
}
