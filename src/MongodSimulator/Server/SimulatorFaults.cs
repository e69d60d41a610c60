namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// Faults a cluster really has, for tests: a network partition between two members (heartbeats, replication and
/// elections stop crossing it; clients still reach both). A killed member is <see cref="MongodSimulatorHost.KillAsync"/>,
/// a slow initial sync <see cref="MongodSimulatorOptions.InitialSyncDelay"/>, a lost volume an emptied dbPath.
/// </summary>
public sealed class SimulatorFaults
{
    private readonly MongodSimulatorHost _host;

    internal SimulatorFaults(MongodSimulatorHost host) => _host = host;

    /// <summary>Cuts the network between this member and <paramref name="other"/>, both ways.</summary>
    public void PartitionFrom(MongodSimulatorHost other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _host.State.Repl.Network.Partition(_host.State.Repl, other.State.Repl);
    }

    /// <summary>Restores every link of this member.</summary>
    public void Heal() => _host.State.Repl.Network.Heal(_host.State.Repl);
}
