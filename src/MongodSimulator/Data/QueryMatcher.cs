using HipaaMongo.MongodSimulator.Commands;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Data;

/// <summary>
/// Query filters as mongod evaluates them (manual, "Query Predicates"): field equality (an array field matches when
/// any element matches), $eq $ne $gt $gte $lt $lte $in $nin $exists, and $and $or $nor. Comparisons only match values
/// of the same type bracket (numbers with numbers, strings with strings, ...), as mongod's type bracketing does.
/// Any other operator is refused with BadValue "unknown operator: $x", as mongod's parser does.
/// </summary>
public static class QueryMatcher
{
    public static bool Matches(BsonDocument doc, BsonDocument filter) => filter.All(e => MatchesElement(doc, e));

    private static bool MatchesElement(BsonDocument doc, BsonElement e) => e.Name switch
    {
        "$and" => Clauses(e).All(c => Matches(doc, c)),
        "$or" => Clauses(e).Any(c => Matches(doc, c)),
        "$nor" => !Clauses(e).Any(c => Matches(doc, c)),
        _ when e.Name.StartsWith('$') => throw new CommandException(ErrorCodes.BadValue, $"unknown top level operator: {e.Name}"),
        _ => MatchesField(Resolve(doc, e.Name), e.Value),
    };

    private static IEnumerable<BsonDocument> Clauses(BsonElement e) =>
        e.Value is BsonArray { Count: > 0 } a && a.All(v => v.IsBsonDocument)
            ? a.Select(v => v.AsBsonDocument)
            : throw new CommandException(ErrorCodes.BadValue, $"{e.Name} must be a nonempty array");

    private static bool MatchesField(BsonValue? value, BsonValue condition)
    {
        if (condition is BsonDocument ops && ops.ElementCount > 0 && ops.GetElement(0).Name.StartsWith('$'))
        {
            return ops.All(op => MatchesOperator(value, op.Name, op.Value));
        }

        return EqualsAny(value, condition);
    }

    private static bool MatchesOperator(BsonValue? value, string op, BsonValue arg) => op switch
    {
        "$eq" => EqualsAny(value, arg),
        "$ne" => !EqualsAny(value, arg),
        "$gt" => CompareAny(value, arg, c => c > 0),
        "$gte" => CompareAny(value, arg, c => c >= 0),
        "$lt" => CompareAny(value, arg, c => c < 0),
        "$lte" => CompareAny(value, arg, c => c <= 0),
        "$in" => InArray(arg, op).Any(v => EqualsAny(value, v)),
        "$nin" => !InArray(arg, op).Any(v => EqualsAny(value, v)),
        "$exists" => (value is not null) == arg.ToBoolean(),
        _ => throw new CommandException(ErrorCodes.BadValue, $"unknown operator: {op}"),
    };

    private static BsonArray InArray(BsonValue arg, string op) =>
        arg as BsonArray ?? throw new CommandException(ErrorCodes.BadValue, $"{op} needs an array");

    /// <summary>Equality; a missing field equals null; an array matches when it equals the value or one element does.</summary>
    private static bool EqualsAny(BsonValue? value, BsonValue target)
    {
        if (value is null)
        {
            return target.IsBsonNull;
        }

        return SameValue(value, target) || (value is BsonArray a && a.Any(v => SameValue(v, target)));
    }

    private static bool CompareAny(BsonValue? value, BsonValue target, Func<int, bool> accept)
    {
        if (value is null)
        {
            return false;
        }

        var candidates = value is BsonArray a ? a.Append(value) : [value];
        return candidates.Any(v => Bracket(v) == Bracket(target) && accept(v.CompareTo(target)));
    }

    private static bool SameValue(BsonValue a, BsonValue b) => Bracket(a) == Bracket(b) && a.CompareTo(b) == 0;

    /// <summary>mongod's canonical type order: values compare only within one bracket (numbers together).</summary>
    private static int Bracket(BsonValue v) => v.BsonType switch
    {
        BsonType.Int32 or BsonType.Int64 or BsonType.Double or BsonType.Decimal128 => 10,
        BsonType.String or BsonType.Symbol => 15,
        _ => (int)v.BsonType + 100,
    };

    /// <summary>The value at a dotted path, or null when it is missing (array elements are reached by index only).</summary>
    public static BsonValue? Resolve(BsonDocument doc, string path)
    {
        BsonValue current = doc;
        foreach (var part in path.Split('.'))
        {
            switch (current)
            {
                case BsonDocument d when d.TryGetValue(part, out var next):
                    current = next;
                    break;
                case BsonArray a when int.TryParse(part, out var i) && i >= 0 && i < a.Count:
                    current = a[i];
                    break;
                default:
                    return null;
            }
        }

        return current;
    }

    /// <summary>Orders by the sort document's fields (1 ascending, -1 descending); missing sorts as null, first.</summary>
    public static IEnumerable<BsonDocument> Sort(IEnumerable<BsonDocument> docs, BsonDocument? sort)
    {
        if (sort is null || sort.ElementCount == 0)
        {
            return docs;
        }

        return docs.Order(Comparer<BsonDocument>.Create((x, y) =>
        {
            foreach (var key in sort)
            {
                var c = (Resolve(x, key.Name) ?? BsonNull.Value).CompareTo(Resolve(y, key.Name) ?? BsonNull.Value);
                if (c != 0)
                {
                    return key.Value.ToInt32() < 0 ? -c : c;
                }
            }

            return 0;
        }));
    }

    /// <summary>Top-level inclusion ({a: 1}) or exclusion ({a: 0}) projection; _id is kept unless excluded.</summary>
    public static BsonDocument Project(BsonDocument doc, BsonDocument? projection)
    {
        if (projection is null || projection.ElementCount == 0)
        {
            return doc;
        }

        var fields = projection.Where(e => e.Name != "_id").ToList();
        var inclusion = fields.Any(e => e.Value.ToBoolean());
        if (fields.Any(e => e.Value.ToBoolean() != inclusion))
        {
            throw new CommandException(31254, $"Cannot do exclusion on field {fields.First(e => !e.Value.ToBoolean()).Name} in inclusion projection");
        }

        var keepId = !projection.TryGetValue("_id", out var id) || id.ToBoolean();
        var result = new BsonDocument();
        foreach (var e in doc)
        {
            var listed = projection.Contains(e.Name);
            var keep = e.Name == "_id" ? keepId : inclusion ? listed : !listed;
            if (keep)
            {
                result.Add(e);
            }
        }

        return result;
    }
}
