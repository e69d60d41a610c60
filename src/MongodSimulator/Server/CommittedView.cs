using HipaaMongo.MongodSimulator.Data;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// The majority-committed view of a member's data, what readConcern "majority" reads: mongod serves such reads from
/// the storage snapshot at the commit point (manual "Read Concern 'majority'": "the query returns the data that has
/// been acknowledged by a majority of the replica set members"; src/mongo/db/read_concern_mongod.cpp waits for and
/// reads at the majority-committed snapshot). Here that snapshot is a second store: each data write this member
/// applies is also queued with its optime, and it reaches the view once the commit point reaches that optime.
/// Thread-safe.
/// </summary>
internal sealed class CommittedView
{
    private readonly Lock _gate = new();
    private readonly DataStore _committed = new();
    private readonly List<(OpTime OpTime, Action<DataStore> Apply)> _pending = [];

    /// <summary>The documents as of the commit point.</summary>
    public DataStore Data => _committed;

    /// <summary>A data write this member applied at <paramref name="optime"/>, not yet known to be majority-committed.</summary>
    public void Record(OpTime optime, Action<DataStore> apply)
    {
        lock (_gate)
        {
            _pending.Add((optime, apply));
        }
    }

    /// <summary>The commit point moved: the writes up to it become visible to majority reads, in oplog order.</summary>
    public void Advance(OpTime commitPoint)
    {
        lock (_gate)
        {
            var due = _pending.TakeWhile(p => p.OpTime <= commitPoint).ToList();
            _pending.RemoveRange(0, due.Count);
            due.ForEach(p => p.Apply(_committed));
        }
    }

    /// <summary>Everything held counts as committed (data read back from dbPath, or present before initiate).</summary>
    public void Reset(DataStore data)
    {
        lock (_gate)
        {
            _committed.Restore(data.Snapshot());
            _pending.Clear();
        }
    }

    /// <summary>Becomes a copy of <paramref name="source"/>'s view and pending writes (initial sync, catch-up by copy).</summary>
    public void CopyFrom(CommittedView source)
    {
        if (ReferenceEquals(source, this))
        {
            return;
        }

        List<(OpTime, Action<DataStore>)> pending;
        Data.DataStore snapshotSource;
        lock (source._gate)
        {
            pending = [.. source._pending];
            snapshotSource = source._committed;
        }

        lock (_gate)
        {
            _committed.Restore(snapshotSource.Snapshot());
            _pending.Clear();
            _pending.AddRange(pending);
        }
    }
}
