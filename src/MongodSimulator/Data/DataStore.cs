using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Data;

/// <summary>
/// The member's databases and collections of BSON documents, in insertion order (natural order). Thread-safe; every
/// change calls <see cref="Changed"/> so the owner can write it to storage.dbPath. Documents handed out are copies.
/// </summary>
public sealed class DataStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, List<BsonDocument>> _collections = new(StringComparer.Ordinal);

    internal Action? Changed { get; set; }

    /// <summary>Databases that hold at least one collection.</summary>
    public IReadOnlyCollection<string> Databases
    {
        get
        {
            lock (_gate)
            {
                return [.. _collections.Keys.Select(ns => ns[..ns.IndexOf('.', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal)];
            }
        }
    }

    public IReadOnlyList<string> Collections(string db)
    {
        lock (_gate)
        {
            return [.. _collections.Keys.Where(ns => ns.StartsWith(db + ".", StringComparison.Ordinal)).Select(ns => ns[(db.Length + 1)..])];
        }
    }

    public bool Exists(string ns)
    {
        lock (_gate)
        {
            return _collections.ContainsKey(ns);
        }
    }

    /// <summary>Copies of the documents of <paramref name="ns"/> (none when it does not exist).</summary>
    public IReadOnlyList<BsonDocument> Scan(string ns)
    {
        lock (_gate)
        {
            return _collections.TryGetValue(ns, out var docs) ? [.. docs.Select(d => d.DeepClone().AsBsonDocument)] : [];
        }
    }

    /// <summary>Runs <paramref name="change"/> on the live list of <paramref name="ns"/> (created implicitly, as a write does).</summary>
    public T Write<T>(string ns, Func<List<BsonDocument>, T> change)
    {
        T result;
        lock (_gate)
        {
            if (!_collections.TryGetValue(ns, out var docs))
            {
                docs = [];
                _collections[ns] = docs;
            }

            result = change(docs);
        }

        Changed?.Invoke();
        return result;
    }

    public bool Create(string ns)
    {
        lock (_gate)
        {
            if (!_collections.TryAdd(ns, []))
            {
                return false;
            }
        }

        Changed?.Invoke();
        return true;
    }

    public bool Drop(string ns)
    {
        bool dropped;
        lock (_gate)
        {
            dropped = _collections.Remove(ns);
        }

        Changed?.Invoke();
        return dropped;
    }

    public void DropDatabase(string db)
    {
        lock (_gate)
        {
            foreach (var ns in _collections.Keys.Where(ns => ns.StartsWith(db + ".", StringComparison.Ordinal)).ToList())
            {
                _collections.Remove(ns);
            }
        }

        Changed?.Invoke();
    }

    /// <summary>Every collection as { "db.coll": [docs] } (the durable form, and what initial sync copies).</summary>
    public BsonDocument Snapshot()
    {
        lock (_gate)
        {
            return new BsonDocument(_collections.Select(c => new BsonElement(c.Key, new BsonArray(c.Value.Select(d => d.DeepClone())))));
        }
    }

    /// <summary>Replaces everything with a snapshot (start-up from disk, initial sync, catch-up).</summary>
    public void Restore(BsonDocument snapshot)
    {
        lock (_gate)
        {
            _collections.Clear();
            foreach (var e in snapshot)
            {
                _collections[e.Name] = [.. e.Value.AsBsonArray.Select(d => d.DeepClone().AsBsonDocument)];
            }
        }

        Changed?.Invoke();
    }
}
