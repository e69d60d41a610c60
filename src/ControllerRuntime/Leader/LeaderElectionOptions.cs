namespace HipaaMongo.ControllerRuntime.Leader;

/// <summary>LeaderElectionOptions: the Lease and client-go's timing defaults (15 s lease, 10 s renew deadline, 2 s retry).</summary>
public sealed class LeaderElectionOptions
{
    /// <summary>When false, this process always acts (one replica, or tests).</summary>
    public bool Enabled { get; set; }

    /// <summary>Namespace of the coordination.k8s.io/v1 Lease.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>Name of the Lease.</summary>
    public string LeaseName { get; set; } = "controller-leader";

    /// <summary>This replica's identity in the Lease (defaults to the host name, i.e. the pod name).</summary>
    public string Identity { get; set; } = Environment.MachineName + "_" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>How long a Lease is valid without renewal.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying renewal before it gives up leading.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause between attempts.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws when the timings cannot work (client-go's rule: lease &gt; renew deadline &gt; retry period).</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(Namespace) || string.IsNullOrWhiteSpace(LeaseName) || string.IsNullOrWhiteSpace(Identity))
        {
            throw new ArgumentException("leader election needs a lease namespace, lease name and identity");
        }
        if (!(LeaseDuration > RenewDeadline && RenewDeadline > RetryPeriod && RetryPeriod > TimeSpan.Zero))
        {
            throw new ArgumentException("leader election needs leaseDuration > renewDeadline > retryPeriod > 0");
        }
    }
}
