using System.Collections.Concurrent;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Data;

/// <summary>
/// Open cursors of one member: the documents a find or aggregate has not returned yet, by cursor id, with the users
/// that opened it (getMore and killCursors by anyone else are refused, as mongod's cursor manager does).
/// </summary>
public sealed class Cursors
{
    private readonly ConcurrentDictionary<long, Cursor> _open = new();
    private long _next = Random.Shared.NextInt64(1, long.MaxValue / 2);

    public sealed record Cursor(string Ns, Queue<BsonDocument> Remaining, string Owner);

    /// <summary>Returns the first batch and the cursor id (0 when nothing is left, as mongod closes exhausted cursors).</summary>
    public (BsonArray Batch, long Id) Open(string ns, IEnumerable<BsonDocument> docs, int batchSize, string owner, bool singleBatch)
    {
        var queue = new Queue<BsonDocument>(docs);
        var batch = Take(queue, batchSize);
        if (queue.Count == 0 || singleBatch)
        {
            return (batch, 0);
        }

        var id = Interlocked.Increment(ref _next);
        _open[id] = new Cursor(ns, queue, owner);
        return (batch, id);
    }

    public Cursor? Find(long id) => _open.GetValueOrDefault(id);

    /// <summary>The next batch; the cursor is closed (id 0) once empty.</summary>
    public (BsonArray Batch, long Id) More(long id, Cursor cursor, int batchSize)
    {
        var batch = Take(cursor.Remaining, batchSize);
        if (cursor.Remaining.Count > 0)
        {
            return (batch, id);
        }

        _open.TryRemove(id, out _);
        return (batch, 0);
    }

    public bool Kill(long id) => _open.TryRemove(id, out _);

    // mongod's default first batch is 101 documents; a getMore without batchSize returns the rest (up to 16 MiB).
    private static BsonArray Take(Queue<BsonDocument> queue, int batchSize)
    {
        var batch = new BsonArray();
        while (queue.Count > 0 && (batchSize <= 0 || batch.Count < batchSize))
        {
            batch.Add(queue.Dequeue());
        }

        return batch;
    }
}
