namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>
/// One member pod as the API shows it: its ordinal, the host it is known by in the replica-set config, its
/// controller-revision-hash (the StatefulSet revision it was created from), whether it is being deleted, whether
/// the kubelet reports it Ready, when its current process started (the later of the pod's creation and its mongod
/// container's running startedAt), and why its mongod container last failed (the container's termination message
/// or waiting reason), if it did, and whether that was an exit with an error it has not recovered from (<see cref="Crashed"/>).
/// </summary>
public sealed record RolloutPod(
    int Ordinal,
    string Name,
    string Host,
    string? Uid,
    string? Revision,
    bool Terminating,
    bool Ready,
    DateTimeOffset? Started,
    string? Failure,
    bool Crashed = false);

/// <summary>
/// What the rollout planner decides from, all read from the cluster in this pass: the StatefulSet's updateRevision
/// (and whether its controller has observed the current template), the member pods, and the primary's
/// replSetGetConfig and replSetGetStatus (<see cref="ConfigMember"/>, <see cref="ObservedMember"/>), and how far the
/// primary's clock may run ahead of the API server's and kubelet's (<see cref="ClockSkew"/>). The planner
/// keeps nothing between passes: which members are updated is the pods' revision label, so an operator restarted
/// mid-rollout resumes from here.
/// </summary>
public sealed record RolloutObservation(
    string? UpdateRevision,
    bool ControllerCaughtUp,
    int Declared,
    IReadOnlyList<RolloutPod> Pods,
    IReadOnlyList<ConfigMember> Config,
    IReadOnlyList<ObservedMember> Status,
    long LagBoundSeconds,
    TimeSpan HealthBound,
    DateTimeOffset Now,
    TimeSpan ClockSkew = default);

/// <summary>Where a rollout stands: the revision it rolls to, how many members run it, and the member it waits for (if any).</summary>
public sealed record RolloutProgress(string? TargetRevision, int Updated, int Total, string? InFlight)
{
    public override string ToString() =>
        $"revision {TargetRevision ?? "unknown"}: {Updated} of {Total} members updated" + (InFlight is null ? "" : $", {InFlight} in flight");
}
