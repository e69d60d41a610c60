using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// A position in the oplog: the entry's timestamp and the term it was written in (src/mongo/db/repl/optime.h). Optimes
/// order by term first, then timestamp (OpTime::operator&lt;). The null optime is Timestamp(0, 0) with term -1
/// (kUninitializedTerm), which is what replSetGetStatus shows for a member never or no longer heard from.
/// </summary>
public readonly record struct OpTime(BsonTimestamp Ts, long Term) : IComparable<OpTime>
{
    public static OpTime Null { get; } = new(new BsonTimestamp(0, 0), -1);

    public bool IsNull => Ts.Value == 0;

    /// <summary>The optime's date as replSetGetStatus prints it (optimeDate: the timestamp's seconds).</summary>
    public DateTime Date => DateTimeOffset.FromUnixTimeSeconds(Ts.Timestamp).UtcDateTime;

    public BsonDocument ToBson() => new() { { "ts", Ts }, { "t", Term } };

    public static OpTime FromBson(BsonValue? value) => value is BsonDocument d && d.GetValue("ts", BsonNull.Value) is BsonTimestamp ts
        ? new OpTime(ts, d.GetValue("t", -1L).ToInt64())
        : Null;

    public int CompareTo(OpTime other) => Term != other.Term ? Term.CompareTo(other.Term) : Ts.CompareTo(other.Ts);

    public static bool operator <(OpTime a, OpTime b) => a.CompareTo(b) < 0;

    public static bool operator >(OpTime a, OpTime b) => a.CompareTo(b) > 0;

    public static bool operator <=(OpTime a, OpTime b) => a.CompareTo(b) <= 0;

    public static bool operator >=(OpTime a, OpTime b) => a.CompareTo(b) >= 0;

    public static OpTime Max(OpTime a, OpTime b) => a >= b ? a : b;

    /// <summary>The next optime a primary in <paramref name="term"/> writes at <paramref name="now"/>: a later second, or the same second with the next increment.</summary>
    public OpTime Next(DateTimeOffset now, long term)
    {
        var secs = (int)now.ToUnixTimeSeconds();
        return secs > Ts.Timestamp ? new OpTime(new BsonTimestamp(secs, 1), term) : new OpTime(new BsonTimestamp(Ts.Timestamp, Ts.Increment + 1), term);
    }
}
