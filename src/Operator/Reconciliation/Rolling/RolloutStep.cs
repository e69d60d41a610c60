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
        // One day-2 change at a time: a scale under way finishes first (its members join at the update revision anyway).
        if (edge is UnavailableReplicaSetEdge || scale.InProgress || observed.Pods.Targets.Count == 0
            || !MemberVerificationStep.Bootstrapped(resource, members.Verification)
            || !RolloutGate.Due(observed.StatefulSet, pods, resource.Status?.Conditions))
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
        var action = RolloutPlanner.Next(o);
        var progress = RolloutPlanner.Progress(o);
        if (action is RolloutAction.DeletePod d && !await writer.DeleteAsync(Pods, ns, d.Pod.Name, d.Pod.Uid, ct))
        {
            action = new RolloutAction.Wait($"{d.Pod.Name} was already gone or replaced: observed again in the next pass");
        }
        var failure = action is RolloutAction.StepDown ? await edge.StepDownAsync(read.Primary!, creds, ct) : null;
        await AnnounceAsync(resource, action, progress, failure, ct);
        return new(action, progress, failure is null ? null : $"{action.Reason}: {failure}");
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
