using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Pods;

/// <summary>
/// What runs "inside" a simulated pod (e.g. a mongod simulator bound to the pod IP). Start returns null when the
/// workload is up (the pod becomes Running and Ready), or a reason it cannot start (the pod reports it and stays
/// not Ready). Stop runs when the pod goes away.
/// </summary>
public interface IPodWorkload
{
    Task<string?> StartAsync(V1Pod pod, string podIp, CancellationToken cancellationToken);

    Task StopAsync(V1Pod pod, CancellationToken cancellationToken);
}

/// <summary>No workload: every pod starts at once.</summary>
public sealed class NoWorkload : IPodWorkload
{
    public Task<string?> StartAsync(V1Pod pod, string podIp, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task StopAsync(V1Pod pod, CancellationToken cancellationToken) => Task.CompletedTask;
}
