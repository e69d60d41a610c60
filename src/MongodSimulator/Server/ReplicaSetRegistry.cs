using System.Collections.Concurrent;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// Simulators in one process that belong to the same replica set find each other here by "host:port", so an
/// initiate on one member reaches the others and a step-down can elect a peer. No data is replicated.
/// </summary>
internal static class ReplicaSetRegistry
{
    private static readonly ConcurrentDictionary<string, ReplState> Members = new(StringComparer.OrdinalIgnoreCase);

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
    }

    public static ReplState? Find(string host) => Members.GetValueOrDefault(host);
}
