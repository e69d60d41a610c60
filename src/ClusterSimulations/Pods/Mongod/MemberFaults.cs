namespace HipaaMongo.ClusterSimulations.Pods.Mongod;

/// <summary>
/// Faults a replica-set member really has, injected into a simulated pod's mongod (local-cluster's
/// <c>POST /admin/members/faults</c>, tests). Each names what a client or a peer then sees.
/// </summary>
public enum MemberFault
{
    /// <summary>The process dies without a clean shutdown (SIGKILL, OOM): the kubelet restarts the container on the same volume.</summary>
    Kill,

    /// <summary>The process stops answering clients and heartbeats while its port stays open (SIGSTOP, a stuck disk).</summary>
    Hang,

    /// <summary>A hung process goes on (SIGCONT).</summary>
    Resume,

    /// <summary>The network between this member and the named peers is cut both ways; clients still reach both.</summary>
    Partition,

    /// <summary>Every cut link of this member is restored.</summary>
    Heal,

    /// <summary>Replication lag: writes are applied the given delay after the primary wrote them (zero ends it).</summary>
    SlowDisk,

    /// <summary>The data volume is emptied and the process dies: the restarted member runs an initial sync.</summary>
    LoseVolume,
}

/// <summary>Parses fault names as the admin endpoint takes them (kill, hang, resume, partition, heal, slow-disk, lose-volume).</summary>
public static class MemberFaults
{
    public static bool TryParse(string? name, out MemberFault fault)
    {
        fault = default;
        var normalised = name?.Replace("-", "", StringComparison.Ordinal);
        return normalised is not null && !normalised.Any(char.IsDigit) && Enum.TryParse(normalised, ignoreCase: true, out fault);
    }

    public static string Names => "kill, hang, resume, partition, heal, slow-disk, lose-volume";
}
