using System.Collections.Concurrent;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// Simulators in one process that belong to the same replica set find each other here by "host:port": this is their
/// network. A member that stopped is not found (its heartbeats fail); a partition (<see cref="Partition"/>) makes two
/// running members unreachable to each other while clients still reach both. Hosts share <see cref="Default"/>
/// unless given their own (each simulated cluster has one, so clusters whose pods bear the same DNS names, as
/// parallel tests' do, never reach each other).
/// </summary>
public sealed class SimulatedNetwork
{
    private readonly ConcurrentDictionary<string, ReplState> _members = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(ReplState, ReplState), byte> _cut = new();

    /// <summary>The network of hosts started without one of their own.</summary>
    public static SimulatedNetwork Default { get; } = new();

    internal void Register(IEnumerable<string> names, ReplState state)
    {
        foreach (var n in names)
        {
            _members[n] = state;
        }
    }

    internal void Unregister(ReplState state)
    {
        foreach (var (k, v) in _members)
        {
            if (ReferenceEquals(v, state))
            {
                _members.TryRemove(k, out _);
            }
        }

        Heal(state);
    }

    internal ReplState? Find(string host) => _members.GetValueOrDefault(host);

    /// <summary>The member at <paramref name="host"/> as <paramref name="from"/> can reach it over the network, or null.</summary>
    internal ReplState? Reach(ReplState from, string host) =>
        Find(host) is { } peer && !_cut.ContainsKey((from, peer)) ? peer : null;

    /// <summary>Cuts the network between two members in both directions.</summary>
    internal void Partition(ReplState a, ReplState b)
    {
        _cut[(a, b)] = 0;
        _cut[(b, a)] = 0;
    }

    /// <summary>Restores every link of <paramref name="member"/>.</summary>
    internal void Heal(ReplState member)
    {
        foreach (var key in _cut.Keys.Where(k => ReferenceEquals(k.Item1, member) || ReferenceEquals(k.Item2, member)))
        {
            _cut.TryRemove(key, out _);
        }
    }
}
