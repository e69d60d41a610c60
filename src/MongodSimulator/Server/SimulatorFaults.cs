namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// Faults a cluster really has, for tests: a network partition between two members (heartbeats, replication and
/// elections stop crossing it; clients still reach both) and a hung member. A killed member is <see cref="MongodSimulatorHost.KillAsync"/>,
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

    /// <summary>
    /// The member hangs (a stopped process, a stuck disk): its port stays open but it answers no client and no
    /// heartbeat and sends none, so its peers mark it down after heartbeatTimeoutSecs.
    /// </summary>
    public void Hang() => _host.State.Repl.Hung = true;

    /// <summary>
    /// A slow disk: replicated writes are applied <paramref name="applyDelay"/> after the primary wrote them, so this
    /// member lags by that much; <see cref="TimeSpan.Zero"/> ends the fault (what was fetched is still applied in turn).
    /// </summary>
    public void SlowDisk(TimeSpan applyDelay) => _host.State.Repl.ApplyDelay = applyDelay < TimeSpan.Zero ? TimeSpan.Zero : applyDelay;

    /// <summary>A hung member goes on where it stopped (SIGCONT).</summary>
    public void Resume() => _host.State.Repl.Hung = false;
}
