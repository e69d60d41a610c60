using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Storage;

/// <summary>
/// In-memory objects plus one resourceVersion counter (like the etcd revision) and a bounded event history
/// that watches resume from. Callers hold <see cref="Gate"/> around read-modify-write sequences.
/// </summary>
public sealed class ObjectStore(int historyWindow)
{
    readonly Dictionary<string, SortedDictionary<string, JsonObject>> objects = [];
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

    static string Key(string? ns, string name) => (ns ?? "") + "/" + name;

    SortedDictionary<string, JsonObject> Bucket(string storeKey)
    {
        if (!objects.TryGetValue(storeKey, out var bucket))
        {
            bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            objects[storeKey] = bucket;
        }
        return bucket;
    }

    public JsonObject? Get(string storeKey, string? ns, string name)
    {
        lock (Gate)
        {
            return Bucket(storeKey).GetValueOrDefault(Key(ns, name));
        }
    }

    public List<JsonObject> List(string storeKey, string? ns)
    {
        lock (Gate)
        {
            var all = Bucket(storeKey).Values;
            return ns is null ? [.. all] : [.. all.Where(o => (string?)o["metadata"]?["namespace"] == ns)];
        }
    }

    /// <summary>Every stored object (garbage collection scans owners across kinds).</summary>
    public List<(string StoreKey, JsonObject Object)> All()
    {
        lock (Gate)
        {
            return [.. objects.SelectMany(b => b.Value.Values.Select(o => (b.Key, o)))];
        }
    }

    /// <summary>Stores a new version (ADDED or MODIFIED), stamping the next resourceVersion.</summary>
    public JsonObject Put(string storeKey, JsonObject obj, JsonObject? old)
    {
        lock (Gate)
        {
            var meta = obj["metadata"]!.AsObject();
            meta["resourceVersion"] = (++rv).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Bucket(storeKey)[Key((string?)meta["namespace"], (string)meta["name"]!)] = obj;
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
            Bucket(storeKey).Remove(Key((string?)meta["namespace"], (string)meta["name"]!));
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
                Bucket(key)[Key(Semantics.Meta.Namespace(obj), Semantics.Meta.Name(obj) ?? "")] = obj;
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
    /// when fromRv is compacted away (the caller sends the 410 ERROR event).
    /// </summary>
    public Watcher? Subscribe(string storeKey, long? fromRv, out List<WatchEvent> backlog)
    {
        lock (Gate)
        {
            backlog = [];
            if (fromRv is { } from && from < CompactedResourceVersion)
            {
                return null;
            }
            if (fromRv is null)
            {
                backlog.AddRange(Bucket(storeKey).Values.Select(o => new WatchEvent(rv, storeKey, "ADDED", o, null)));
            }
            else
            {
                backlog.AddRange(history.Where(e => e.StoreKey == storeKey && e.ResourceVersion > fromRv));
            }
            var w = new Watcher(storeKey, Unsubscribe);
            watchers.Add(w);
            return w;
        }
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
