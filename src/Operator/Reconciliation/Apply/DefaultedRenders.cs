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
/// </summary>
public sealed class DefaultedRenders(ObjectWriter writer)
{
    /// <summary>A bound on memory for children of resources deleted since: past it the cache starts over.</summary>
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

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
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[key] = new Entry(uid, hash, defaulted, Owner(defaulted));
        return defaulted;
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
