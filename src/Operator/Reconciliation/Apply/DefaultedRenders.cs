using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Drift;

namespace HipaaMongo.Operator.Reconciliation.Apply;

/// <summary>
/// The desired object of each child as the API server stores it: the render after defaulting and mutating
/// admission, learned from a dry-run write (<see cref="ObjectWriter.DryRunReplaceAsync"/>) or from our own create or
/// replace. Kept per child for one render of one live object (its uid), so a settled pass makes no request: a new
/// render, a re-created object or a restart costs one dry-run, never one per pass. Losing it only costs that.
/// It holds one entry per child of every live HipaaMongo, however many there are: a bound below that would empty it
/// again and again at scale, and every pass would pay its dry-runs. What it drops is the entries of owners no longer
/// live (finalized by another replica, or with the finalizer removed by hand), checked each time it has doubled.
/// </summary>
/// <param name="liveOwners">The uids of the HipaaMongos that exist now (the informer's cache).</param>
public sealed class DefaultedRenders(ObjectWriter writer, Func<IEnumerable<string?>> liveOwners)
{
    /// <summary>The size below which no pruning is tried: a few hundred HipaaMongos' children.</summary>
    private const int PruneFloor = 4096;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _pruning = new();
    private int _pruneAt = PruneFloor;

    /// <summary>
    /// The render of <paramref name="stamped"/> as stored over <paramref name="live"/> (from cache, else one dry-run);
    /// <paramref name="model"/> is the type the informer reads the live object into.
    /// </summary>
    public async Task<JsonObject> ForAsync(Type model, ResourcePath path, JsonObject stamped, JsonObject live, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stamped);
        ArgumentNullException.ThrowIfNull(live);
        var key = LastApplied.Key(stamped);
        var (uid, hash) = (Uid(live), Hash(stamped));
        if (_entries.TryGetValue(key, out var entry) && entry.Uid == uid && entry.RenderHash == hash)
        {
            return entry.Defaulted;
        }
        var defaulted = await writer.DryRunReplaceAsync(path, stamped, live["metadata"]?["resourceVersion"]?.GetValue<string>(), ct);
        return Remember(key, uid, hash, AsCached(model, defaulted, stamped));
    }

    /// <summary>What the server stored for our own create or replace of <paramref name="stamped"/>: the same thing, for free.</summary>
    public void Learn(Type model, JsonObject stamped, JsonObject? stored)
    {
        ArgumentNullException.ThrowIfNull(stamped);
        if (stored is not null && Uid(stored) is { Length: > 0 } uid)
        {
            Remember(LastApplied.Key(stamped), uid, Hash(stamped), AsCached(model, stored, stamped));
        }
    }

    /// <summary>Drops every child of the owner with uid <paramref name="ownerUid"/> (a HipaaMongo being deleted).</summary>
    public void Forget(string? ownerUid)
    {
        if (string.IsNullOrEmpty(ownerUid))
        {
            return;
        }
        foreach (var (key, entry) in _entries)
        {
            if (entry.Owner == ownerUid)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    /// <summary>How many children are cached (for tests of <see cref="Forget"/>).</summary>
    public int Count => _entries.Count;

    private JsonObject Remember(string key, string uid, string hash, JsonObject defaulted)
    {
        _entries[key] = new Entry(uid, hash, defaulted, Owner(defaulted));
        if (_entries.Count >= Volatile.Read(ref _pruneAt))
        {
            Prune();
        }
        return defaulted;
    }

    // Drops the children of owners that are gone; the next check waits until the cache has doubled again, so the cost
    // stays a small constant per entry added however large the set of live HipaaMongos is.
    private void Prune()
    {
        lock (_pruning)
        {
            if (_entries.Count < _pruneAt)
            {
                return; // another thread pruned meanwhile
            }
            var live = liveOwners().OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var (key, entry) in _entries)
            {
                if (entry.Owner is null || !live.Contains(entry.Owner))
                {
                    _entries.TryRemove(key, out _);
                }
            }
            _pruneAt = Math.Max(PruneFloor, 2 * _entries.Count);
        }
    }

    // The controller owner's uid, as rendered (every child is owned by its HipaaMongo).
    private static string? Owner(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(r => r["controller"] is JsonValue v && v.TryGetValue<bool>(out var c) && c)?["uid"]?.GetValue<string>();

    // As the informer would hold it (read through the same model), with only our own label and annotation keys.
    private static JsonObject AsCached(Type model, JsonObject stored, JsonObject stamped) =>
        NotOurs.WithOurMetadataKeys(ObjectJson.Through(stored, model), stamped);

    private static string Uid(JsonObject obj) => obj["metadata"]?["uid"]?.GetValue<string>() ?? "";

    private static string Hash(JsonObject stamped) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(stamped.ToJsonString())));

    private sealed record Entry(string Uid, string RenderHash, JsonObject Defaulted, string? Owner);
}
