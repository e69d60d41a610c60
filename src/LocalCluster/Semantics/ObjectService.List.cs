using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>One page of a list: the items, where the next page starts, and how many objects remain.</summary>
public sealed record ListPage(List<JsonObject> Items, long ResourceVersion, (string Namespace, string Name)? Last, long? Remaining);

public sealed partial class ObjectService
{
    /// <summary>
    /// A chunk of a list (limit/continue, kubernetes.io api-concepts "Retrieving large results sets in chunks"):
    /// matching objects after <paramref name="after"/> in (namespace, name) order, at most <paramref name="limit"/>
    /// (0: all). Remaining counts the objects left after the page and is only known without selectors
    /// (<paramref name="countRemaining"/>), as the etcd3 store reports remainingItemCount.
    /// </summary>
    public ListPage ListChunk(ResourceType type, string? ns, Func<JsonObject, bool> filter, Func<string, string, bool>? after,
        int limit, bool countRemaining)
    {
        var items = new List<JsonObject>();
        (string, string)? last = null;
        long remaining = 0;
        var full = false;
        lock (store.Gate)
        {
            var rv = store.CurrentResourceVersion;
            foreach (var (itemNs, name, obj) in store.SnapshotEntries(type.StoreKey, ns))
            {
                if (after is not null && !after(itemNs, name))
                {
                    continue;
                }
                if (full)
                {
                    remaining++;
                    if (!countRemaining)
                    {
                        break;
                    }
                    continue;
                }
                if (!filter(obj))
                {
                    continue;
                }
                items.Add(Present(type, obj));
                last = (itemNs, name);
                full = limit > 0 && items.Count >= limit;
            }
            return new ListPage(items, rv, remaining > 0 ? last : null, remaining > 0 && countRemaining ? remaining : null);
        }
    }
}
