using HipaaMongo.MongodSimulator.Commands;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Data;

/// <summary>
/// The aggregation stages the drivers send for counting and simple reads: $match, $sort, $skip, $limit, $project and
/// $group with a constant or field _id and $sum accumulators (countDocuments sends [{$match}, {$group: {_id: 1,
/// n: {$sum: 1}}}]). Any other stage is refused with mongod's "Unrecognized pipeline stage name" (40324).
/// </summary>
public static class Pipeline
{
    public static IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> docs, BsonDocument stage)
    {
        var (name, arg) = (stage.GetElement(0).Name, stage.GetElement(0).Value);
        return name switch
        {
            "$match" => docs.Where(d => QueryMatcher.Matches(d, arg.AsBsonDocument)),
            "$sort" => QueryMatcher.Sort(docs, arg.AsBsonDocument),
            "$skip" => docs.Skip(arg.ToInt32()),
            "$limit" => docs.Take(arg.ToInt32()),
            "$project" => docs.Select(d => QueryMatcher.Project(d, arg.AsBsonDocument)),
            "$group" => Group(docs, arg.AsBsonDocument),
            _ => throw new CommandException(40324, $"Unrecognized pipeline stage name: '{name}'"),
        };
    }

    private static IEnumerable<BsonDocument> Group(IEnumerable<BsonDocument> docs, BsonDocument spec)
    {
        var key = spec.GetValue("_id", BsonNull.Value);
        var groups = docs.GroupBy(d => KeyOf(d, key));
        foreach (var g in groups)
        {
            var result = new BsonDocument("_id", g.Key);
            foreach (var acc in spec.Where(e => e.Name != "_id"))
            {
                var op = acc.Value.AsBsonDocument.GetElement(0);
                if (op.Name != "$sum")
                {
                    throw new CommandException(15952, $"unknown group operator '{op.Name}'");
                }

                result[acc.Name] = op.Value.IsNumeric
                    ? new BsonInt32(g.Count() * op.Value.ToInt32())
                    : new BsonDouble(g.Sum(d => KeyOf(d, op.Value) is { IsNumeric: true } v ? v.ToDouble() : 0));
            }

            yield return result;
        }
    }

    private static BsonValue KeyOf(BsonDocument doc, BsonValue key) =>
        key is BsonString s && s.Value.StartsWith('$') ? QueryMatcher.Resolve(doc, s.Value[1..]) ?? BsonNull.Value : key;
}
