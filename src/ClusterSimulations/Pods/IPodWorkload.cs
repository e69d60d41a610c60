using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Pods;

/// <summary>Why a pod did not start: a volume the kubelet could not set up, or a container that exited.</summary>
/// <param name="Mount">True for a volume set-up failure (ContainerCreating with a FailedMount Event), false for a
/// container that started and exited (CrashLoopBackOff).</param>
/// <param name="Message">The kubelet's or the process's message; never file contents or Secret values.</param>
/// <param name="ExitCode">The process's exit code (mongod's own, e.g. 2 for a bad option, 62 for data files its binary cannot open).</param>
public sealed record PodStartFailure(bool Mount, string Message, int ExitCode = 1)
{
    public override string ToString() => Message;
}

/// <summary>
/// What runs "inside" a simulated pod (e.g. a mongod simulator bound to the pod IP). Start returns null when the
/// workload is up (the pod becomes Running and Ready), or why it cannot start. Stop runs when the pod goes away.
/// </summary>
public interface IPodWorkload
{
    Task<PodStartFailure?> StartAsync(V1Pod pod, string podIp, CancellationToken cancellationToken);

    Task StopAsync(V1Pod pod, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the pod's process stop answering (true) or answer again (false) while its container keeps running;
    /// a workload without a process ignores it.
    /// </summary>
    Task SetHungAsync(V1Pod pod, bool hung, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether the process answers (an exec readiness probe passes); true unless hung.</summary>
    bool Answers(V1Pod pod) => true;

    /// <summary>The exit code of a started process that died (the kubelet then restarts the container), else null.</summary>
    int? ExitCodeOf(V1Pod pod) => null;
}

/// <summary>No workload: every pod starts at once.</summary>
public sealed class NoWorkload : IPodWorkload
{
    public Task<PodStartFailure?> StartAsync(V1Pod pod, string podIp, CancellationToken cancellationToken) =>
        Task.FromResult<PodStartFailure?>(null);

    public Task StopAsync(V1Pod pod, CancellationToken cancellationToken) => Task.CompletedTask;
}
