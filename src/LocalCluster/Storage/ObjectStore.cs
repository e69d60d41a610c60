using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Storage;

/// <summary>
/// In-memory objects plus one resourceVersion counter (like the etcd revision) and a bounded event history
/// that watches resume from. Callers hold <see cref="Gate"/> around read-modify-write sequences.
/// Each kind is indexed by namespace, then name, in immutable sorted maps: a namespaced list reads one namespace,
/// and a reader takes a snapshot in O(1) under the lock and walks it outside (stored objects are never mutated).
/// </summary>
public sealed class ObjectStore(int historyWindow)
{
    readonly Dictionary<string, Namespaces> objects = [];
    readonly LinkedList<WatchEvent> history = new();
    readonly List<Watcher> watchers = [];
    long rv = 1;

    public Lock Gate { get; } = new();

    public long CurrentResourceVersion
    {
        get { lock (Gate) { return rv; } }
    }

    /// <summary>Events at or below this version are gone; watches starting below it get 410.</summary>
    public long CompactedResourceVersion { get; private set; } = 1;

    public int HistoryWindow { get; set; } = historyWindow;

    Namespaces Bucket(string storeKey) => objects.GetValueOrDefault(storeKey) ?? Namespaces.Empty;

    public JsonObject? Get(string storeKey, string? ns, string name)
    {
        lock (Gate)
        {
            return Bucket(storeKey).Get(ns, name);
        }
    }

    public List<JsonObject> List(string storeKey, string? ns) => [.. Snapshot(storeKey, ns)];

    /// <summary>The kind's objects (one namespace, or all) in (namespace, name) order, as of now; walk it without the lock.</summary>
    public IEnumerable<JsonObject> Snapshot(string storeKey, string? ns)
    {
        Namespaces bucket;
        lock (Gate)
        {
            bucket = Bucket(storeKey);
        }
        return bucket.Objects(ns);
    }

    /// <summary>Like <see cref="Snapshot"/>, with each object's namespace ("" when cluster-scoped) and name.</summary>
    public IEnumerable<(string Namespace, string Name, JsonObject Object)> SnapshotEntries(string storeKey, string? ns)
    {
        Namespaces bucket;
        lock (Gate)
        {
            bucket = Bucket(storeKey);
        }
        return bucket.Entries(ns);
    }

    /// <summary>Every stored object (garbage collection scans owners across kinds).</summary>
    public List<(string StoreKey, JsonObject Object)> All()
    {
        lock (Gate)
        {
            return [.. objects.SelectMany(b => b.Value.Objects(null).Select(o => (b.Key, o)))];
        }
    }

    /// <summary>Stores a new version (ADDED or MODIFIED), stamping the next resourceVersion.</summary>
    public JsonObject Put(string storeKey, JsonObject obj, JsonObject? old)
    {
        lock (Gate)
        {
            var meta = obj["metadata"]!.AsObject();
            meta["resourceVersion"] = (++rv).ToString(System.Globalization.CultureInfo.InvariantCulture);
            objects[storeKey] = Bucket(storeKey).With((string?)meta["namespace"], (string)meta["name"]!, obj);
            Record(new WatchEvent(rv, storeKey, old is null ? "ADDED" : "MODIFIED", obj, old));
            return obj;
        }
    }

    /// <summary>Removes an object; the DELETED event carries a fresh resourceVersion, as etcd's delete revision.</summary>
    public JsonObject Remove(string storeKey, JsonObject obj)
    {
        lock (Gate)
        {
            var meta = obj["metadata"]!.AsObject();
            objects[storeKey] = Bucket(storeKey).Without((string?)meta["namespace"], (string)meta["name"]!);
            var gone = obj.DeepClone().AsObject();
            gone["metadata"]!["resourceVersion"] = (++rv).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Record(new WatchEvent(rv, storeKey, "DELETED", gone, obj));
            return gone;
        }
    }

    void Record(WatchEvent e)
    {
        history.AddLast(e);
        while (history.Count > HistoryWindow)
        {
            CompactedResourceVersion = history.First!.Value.ResourceVersion;
            history.RemoveFirst();
        }
        foreach (var w in watchers)
        {
            if (w.StoreKey == e.StoreKey)
            {
                w.Events.Writer.TryWrite(e);
            }
        }
    }

    /// <summary>Restores saved objects as they were (no events) and moves the counter past the saved one.</summary>
    public void Restore(long resourceVersion, IEnumerable<(string StoreKey, JsonObject Object)> items)
    {
        lock (Gate)
        {
            foreach (var (key, obj) in items)
            {
                objects[key] = Bucket(key).With(Semantics.Meta.Namespace(obj), Semantics.Meta.Name(obj) ?? "", obj);
            }
            rv = Math.Max(rv, resourceVersion);
            CompactedResourceVersion = rv;
        }
    }

    /// <summary>Forgets all history up to now, so every earlier resourceVersion is "too old".</summary>
    public void Compact()
    {
        lock (Gate)
        {
            history.Clear();
            CompactedResourceVersion = rv;
        }
    }

    /// <summary>
    /// Opens a watch after <paramref name="fromRv"/> (null: current objects as ADDED first). Returns null
    /// when fromRv is compacted away (the caller sends the 410 ERROR event). Starting from now takes a snapshot
    /// under the lock in O(1); the ADDED events are built from it after the lock is released.
    /// </summary>
    public Watcher? Subscribe(string storeKey, long? fromRv, out IEnumerable<WatchEvent> backlog)
    {
        Namespaces snapshot;
        long at;
        Watcher w;
        lock (Gate)
        {
            backlog = [];
            if (fromRv is { } from && from < CompactedResourceVersion)
            {
                return null;
            }
            w = new Watcher(storeKey, Unsubscribe);
            watchers.Add(w);
            if (fromRv is not null)
            {
                backlog = [.. history.Where(e => e.StoreKey == storeKey && e.ResourceVersion > fromRv)];
                return w;
            }
            snapshot = Bucket(storeKey);
            at = rv;
        }
        backlog = snapshot.Objects(null).Select(o => new WatchEvent(at, storeKey, "ADDED", o, null));
        return w;
    }

    void Unsubscribe(Watcher w)
    {
        lock (Gate)
        {
            watchers.Remove(w);
        }
    }

    public int OpenWatches
    {
        get { lock (Gate) { return watchers.Count; } }
    }

    /// <summary>Ends every open watch stream (fault injection, shutdown).</summary>
    public void DropWatches()
    {
        lock (Gate)
        {
            foreach (var w in watchers.ToList())
            {
                w.Drop();
            }
        }
    }
}
