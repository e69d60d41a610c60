using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Rollout;
using HipaaMongo.Operator.Reconciliation.Scaling;
using HipaaMongo.Operator.Reconciliation.Verification;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Reconciliation.Rolling;

/// <summary>
/// The rollout step of a pass (rollouts.md): when a member pod is not at the StatefulSet's update revision (the
/// StatefulSet uses OnDelete, so its controller replaces nothing by itself), read the primary's config and status as
/// the scale step does, let the pure <see cref="RolloutPlanner"/> choose one step, and apply it: delete one pod (uid
/// precondition) or replSetStepDown the primary. Nothing is kept between passes: the pods' revision labels and the
/// set's status are the progress, so a restarted operator resumes without restarting a member twice.
/// </summary>
public sealed partial class RolloutStep(
    IReplicaSetEdge edge,
    CredentialsLoader credentials,
    ObjectWriter writer,
    EventRecorder events,
    ReconcilerOptions options,
    ILogger<RolloutStep> logger)
{
    public const string RolloutStepReason = "RolloutStep";
    public const string RolloutStepFailedReason = "RolloutStepFailed";

    private static readonly ResourcePath Pods = new("", "v1", "pods");

    public async Task<RolloutStepResult> RunAsync(PassObservation observed, MemberStepResult members, ScaleStepResult scale, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(scale);
        var resource = observed.Resource;
        var (ns, name) = (resource.Metadata.NamespaceProperty, resource.Metadata.Name);
        var pods = observed.MemberPodObjects ?? [];
        var rolloutDue = RolloutGate.Due(observed.StatefulSet, pods, resource.Status?.Conditions);
        // One day-2 change at a time: a scale under way finishes first (its members join at the update revision anyway).
        if (edge is UnavailableReplicaSetEdge || scale.InProgress || observed.Pods.Targets.Count == 0
            || !MemberVerificationStep.Bootstrapped(resource, members.Verification)
            || !RolloutGate.Due(observed.StatefulSet, pods, resource.Status?.Conditions, resource.Status?.FeatureCompatibilityVersion, resource.Spec.Version))
        {
            return RolloutStepResult.Idle;
        }
        using var loaded = await credentials.LoadAsync(resource, ct);
        if (loaded.Credentials is not { } creds)
        {
            return new(null, null, "waiting for certificates: " + loaded.Missing);
        }
        var read = await edge.ReadAsync(observed.Pods.Targets, creds, ct);
        var hosts = Enumerable.Range(0, ScaleGate.MaxMembers).Select(i => MemberPods.AdvertisedHost(ns, name, i)).ToList();
        var set = read.Failure is null
            ? ScaleReading.Observe(read.GetConfig!, read.GetStatus!, hosts, resource.Spec.Members, options.LagBoundSeconds)
            : null;
        if (set is null)
        {
            return new(new RolloutAction.Wait(read.Failure ?? "the primary's replSetGetConfig or replSetGetStatus has no members"), null, null);
        }
        var o = RolloutReading.Observe(observed.StatefulSet, pods, ns, name, resource.Spec.Members, set, options.RolloutHealthBound, observed.Now,
            options.RolloutClockSkew);
        var progress = RolloutPlanner.Progress(o);
        // A version below FCV is never rolled: its binary would refuse the data files, one member after another.
        var action = FcvPlanner.Blocks(resource.Spec.Version, resource.Status?.FeatureCompatibilityVersion) is { } below
            ? new RolloutAction.Halt(read.Primary!.PodName, below)
            : RolloutPlanner.Next(o);
        if (action is RolloutAction.Steady)
        {
            return await FeatureCompatibilityAsync(resource, read.Primary!, observed.Pods.Targets, creds, action, progress, rolloutDue, ct);
        }
        if (!rolloutDue)
        {
            return RolloutStepResult.Idle; // only FCV was due (unread): it is read once the set is at rest, no rollout to report
        }
        if (action is RolloutAction.DeletePod d && !await writer.DeleteAsync(Pods, ns, d.Pod.Name, d.Pod.Uid, ct))
        {
            action = new RolloutAction.Wait($"{d.Pod.Name} was already gone or replaced: observed again in the next pass");
        }
        var failure = action is RolloutAction.StepDown ? await edge.StepDownAsync(read.Primary!, creds, ct) : null;
        await AnnounceAsync(resource, action, progress, failure, ct);
        return new(action, progress, failure is null ? null : $"{action.Reason}: {failure}");
    }

    // The rollout is at rest: read FCV and every member's binary, and raise FCV when the planner says so. A raise (or a
    // wait for one) keeps the rollout under way, so the next pass reads FCV again and shows the value it finds.
    private async Task<RolloutStepResult> FeatureCompatibilityAsync(HipaaMongoResource resource, MemberTarget primary, IReadOnlyList<MemberTarget> members,
        MemberCredentials creds, RolloutAction steady, RolloutProgress progress, bool rolloutDue, CancellationToken ct)
    {
        var read = await edge.ReadFcvAsync(primary, members, creds, ct);
        if (read.Failure is not null)
        {
            return new(new RolloutAction.Wait(read.Failure), progress, null);
        }
        var binaries = read.Binaries.Select(b => new MemberBinary(b.Pod, b.Version)).ToList();
        var next = FcvPlanner.Next(new FcvObservation(resource.Spec.Version, read.Version, read.TargetVersion, binaries, resource.Spec.Members, true));
        switch (next)
        {
            case FcvAction.Raise raise:
                var failure = await edge.SetFcvAsync(primary, raise.Version, raise.Confirm, creds, ct);
                var what = $"setFeatureCompatibilityVersion {raise.Version}{(raise.Confirm ? " (confirm: true)" : "")}: {raise.Reason}";
                if (failure is null)
                {
                    LogStep(logger, resource.Metadata.Name, what);
                    await events.RecordAsync(resource, EventRecorder.Normal, RolloutStepReason, what, ct);
                    return new(new RolloutAction.Wait(what), progress, null) { FeatureCompatibilityVersion = raise.Version };
                }
                await events.RecordAsync(resource, EventRecorder.Warning, RolloutStepFailedReason, $"{what} refused: {failure}", ct);
                return new(new RolloutAction.Wait(what), progress, $"{what}: {failure}") { FeatureCompatibilityVersion = read.Version };
            case FcvAction.Wait wait:
                // After a rollout it keeps the rollout under way; on a set at rest (FCV only read) it is no rollout.
                return new(rolloutDue ? new RolloutAction.Wait(wait.Reason) : null, progress, null) { FeatureCompatibilityVersion = read.Version };
            case FcvAction.Refused refused:
                var halt = new RolloutAction.Halt(primary.PodName, refused.Reason);
                await AnnounceAsync(resource, halt, progress, null, ct);
                return new(halt, progress, null) { FeatureCompatibilityVersion = read.Version };
            default:
                return new(steady, progress, null) { FeatureCompatibilityVersion = read.Version };
        }
    }

    private async Task AnnounceAsync(HipaaMongoResource resource, RolloutAction action, RolloutProgress progress, string? failure, CancellationToken ct)
    {
        if (action is RolloutAction.Halt)
        {
            // Level-based: announced once per reason, not every pass while it stays halted.
            if (Conditions.Find(resource.Status?.Conditions, ConditionTypes.Stalled) is not { Reason: ConditionReasons.RolloutHalted } stalled
                || !stalled.Message.StartsWith(action.Reason, StringComparison.Ordinal))
            {
                await events.RecordAsync(resource, EventRecorder.Warning, ConditionReasons.RolloutHalted, $"{action.Reason} [{progress}]", ct);
            }
            return;
        }
        if (action is not (RolloutAction.DeletePod or RolloutAction.StepDown))
        {
            return;
        }
        var what = action is RolloutAction.DeletePod ? $"pod deleted: {action.Reason}" : $"replSetStepDown: {action.Reason}";
        if (failure is null)
        {
            LogStep(logger, resource.Metadata.Name, what);
            await events.RecordAsync(resource, EventRecorder.Normal, RolloutStepReason, $"{what} [{progress}]", ct);
        }
        else
        {
            await events.RecordAsync(resource, EventRecorder.Warning, RolloutStepFailedReason, $"{what} refused: {failure}", ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "rollout step on {Name}: {What}")]
    private static partial void LogStep(ILogger logger, string name, string what);
}
