using HipaaMongo.MongodSimulator.Commands;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Data;

/// <summary>
/// Update documents as mongod applies them (manual, "Update Operators"): a replacement document keeps the _id; an
/// operator update supports $set, $unset and $inc on top-level or dotted fields. Mixing operators and plain fields
/// fails (FailedToParse 9), an unknown operator too, $inc on a non-number is TypeMismatch 14, and changing _id is
/// ImmutableField 66.
/// </summary>
public static class UpdateApplier
{
    public static bool IsOperatorUpdate(BsonDocument update) =>
        update.ElementCount > 0 && update.GetElement(0).Name.StartsWith('$');

    /// <summary>The updated copy of <paramref name="doc"/>.</summary>
    public static BsonDocument Apply(BsonDocument doc, BsonDocument update)
    {
        if (!IsOperatorUpdate(update))
        {
            if (update.Names.Any(n => n.StartsWith('$')))
            {
                throw new CommandException(9, "Unknown modifier in replacement document");
            }

            var replacement = new BsonDocument("_id", doc["_id"]);
            foreach (var e in update.Where(e => e.Name != "_id"))
            {
                replacement.Add(e);
            }

            if (update.TryGetValue("_id", out var id) && id != doc["_id"])
            {
                throw new CommandException(66, "After applying the update, the (immutable) field '_id' was found to have been altered to _id: " + id);
            }

            return replacement;
        }

        var result = doc.DeepClone().AsBsonDocument;
        foreach (var op in update)
        {
            if (op.Value is not BsonDocument fields)
            {
                throw new CommandException(9, $"Modifiers operate on fields but we found type {op.Value.BsonType} instead.");
            }

            foreach (var f in fields)
            {
                if (f.Name == "_id" || f.Name.StartsWith("_id.", StringComparison.Ordinal))
                {
                    throw new CommandException(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
                }

                ApplyOne(result, op.Name, f);
            }
        }

        return result;
    }

    private static void ApplyOne(BsonDocument doc, string op, BsonElement f)
    {
        var (parent, leaf) = Parent(doc, f.Name, create: op != "$unset");
        switch (op)
        {
            case "$set":
                parent![leaf] = f.Value;
                break;
            case "$unset":
                parent?.Remove(leaf);
                break;
            case "$inc":
                parent![leaf] = Increment(parent.GetValue(leaf, BsonNull.Value), f);
                break;
            default:
                throw new CommandException(9, $"Unknown modifier: {op}. Expected a valid update modifier or pipeline-style update specified as an array");
        }
    }

    private static BsonValue Increment(BsonValue current, BsonElement f)
    {
        if (!f.Value.IsNumeric)
        {
            throw new CommandException(ErrorCodes.TypeMismatch, $"Cannot increment with non-numeric argument: {{{f.Name}: {f.Value}}}");
        }

        return current switch
        {
            BsonNull => f.Value,
            BsonInt32 i when f.Value is BsonInt32 j => new BsonInt32(i.Value + j.Value),
            { IsInt32: true } or { IsInt64: true } when f.Value.IsInt32 || f.Value.IsInt64 => new BsonInt64(current.ToInt64() + f.Value.ToInt64()),
            { IsNumeric: true } => new BsonDouble(current.ToDouble() + f.Value.ToDouble()),
            _ => throw new CommandException(ErrorCodes.TypeMismatch, $"Cannot apply $inc to a value of non-numeric type. {{_id: ...}} has the field '{f.Name}' of non-numeric type {current.BsonType}"),
        };
    }

    private static (BsonDocument? Parent, string Leaf) Parent(BsonDocument doc, string path, bool create)
    {
        var parts = path.Split('.');
        var current = doc;
        foreach (var part in parts[..^1])
        {
            if (current.GetValue(part, BsonNull.Value) is BsonDocument next)
            {
                current = next;
            }
            else if (create && !current.Contains(part))
            {
                next = [];
                current[part] = next;
                current = next;
            }
            else
            {
                return create ? throw new CommandException(28, $"Cannot create field '{parts[^1]}' in element {{{part}: {current[part]}}}") : (null, parts[^1]);
            }
        }

        return (current, parts[^1]);
    }

    /// <summary>The document an upsert inserts: the filter's equality fields, then the update applied.</summary>
    public static BsonDocument Upserted(BsonDocument filter, BsonDocument update)
    {
        var seed = new BsonDocument();
        foreach (var e in filter.Where(e => !e.Name.StartsWith('$') && !e.Name.Contains('.', StringComparison.Ordinal)
            && !(e.Value is BsonDocument d && d.ElementCount > 0 && d.GetElement(0).Name.StartsWith('$'))))
        {
            seed[e.Name] = e.Value;
        }

        if (!seed.Contains("_id") && !(update.TryGetValue("_id", out _) && !IsOperatorUpdate(update)))
        {
            seed.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
        }
        else if (!seed.Contains("_id"))
        {
            seed.InsertAt(0, new BsonElement("_id", update["_id"]));
        }

        return Apply(seed, update);
    }
}
