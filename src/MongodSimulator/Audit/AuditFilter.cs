using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Audit;

/// <summary>
/// A small subset of the query language for auditLog.filter: field equality, a regular expression against a string
/// (the PHIAccess profile's `"param.ns": /^(patients)\\./`, as a match expression's regex does), $in, $or, dotted
/// paths. mongod reads the filter with fromjson, whose regex literal takes the escapes of a JSON string
/// (mongodb/mongo src/mongo/bson/json.cpp, JParse::regexPat calls chars): `\\` is one backslash and `\/` a slash,
/// so `/^(patients)\\./` is the pattern `^(patients)\.`; BsonDocument.Parse keeps the pattern as written, so the
/// simulator undoes those two escapes before it matches.
/// </summary>
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

        if (e.Value is BsonRegularExpression regex)
        {
            return actual is BsonString text
                && new BsonRegularExpression(FromJsonPattern(regex.Pattern), regex.Options).ToRegex().IsMatch(text.Value);
        }

        return actual is not null && (actual.Equals(e.Value) || (e.Value.IsNumeric && actual.IsNumeric && actual.ToDouble() == e.Value.ToDouble()));
    }

    private static string FromJsonPattern(string pattern)
    {
        var sb = new System.Text.StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '\\' or '/')
            {
                i++;
            }
            sb.Append(pattern[i]);
        }
        return sb.ToString();
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
