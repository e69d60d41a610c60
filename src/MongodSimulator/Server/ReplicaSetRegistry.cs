using System.Collections.Concurrent;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// Simulators in one process that belong to the same replica set find each other here by "host:port": this is their
/// network. A member that stopped is not found (its heartbeats fail); a partition (<see cref="Partition"/>) makes two
/// running members unreachable to each other while clients still reach both.
/// </summary>
internal static class ReplicaSetRegistry
{
    private static readonly ConcurrentDictionary<string, ReplState> Members = new(StringComparer.OrdinalIgnoreCase);
    private static readonly ConcurrentDictionary<(ReplState, ReplState), byte> Cut = new();

    public static void Register(IEnumerable<string> names, ReplState state)
    {
        foreach (var n in names)
        {
            Members[n] = state;
        }
    }

    public static void Unregister(ReplState state)
    {
        foreach (var (k, v) in Members)
        {
            if (ReferenceEquals(v, state))
            {
                Members.TryRemove(k, out _);
            }
        }

        Heal(state);
    }

    public static ReplState? Find(string host) => Members.GetValueOrDefault(host);

    /// <summary>The member at <paramref name="host"/> as <paramref name="from"/> can reach it over the network, or null.</summary>
    public static ReplState? Reach(ReplState from, string host) =>
        Find(host) is { } peer && !Cut.ContainsKey((from, peer)) ? peer : null;

    /// <summary>Cuts the network between two members in both directions.</summary>
    public static void Partition(ReplState a, ReplState b)
    {
        Cut[(a, b)] = 0;
        Cut[(b, a)] = 0;
    }

    /// <summary>Restores every link of <paramref name="member"/>.</summary>
    public static void Heal(ReplState member)
    {
        foreach (var key in Cut.Keys.Where(k => ReferenceEquals(k.Item1, member) || ReferenceEquals(k.Item2, member)))
        {
            Cut.TryRemove(key, out _);
        }
    }
}
