using System.Text.Json.Nodes;
using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Rollout;
using HipaaMongo.Operator.Reconciliation.Verification;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Reconciliation.Scaling;

/// <summary>
/// The scale step of a pass (rollouts.md): read the primary's config and status, let the pure
/// <see cref="ScalePlanner"/> choose one step, apply it (replSetReconfig or replSetStepDown as the operator), and
/// lower the StatefulSet to the pods whose members have left the config. Nothing is kept between passes: the set's
/// config is the progress, so a restarted operator resumes from it.
/// </summary>
public sealed partial class ScaleStep(
    IReplicaSetEdge edge,
    CredentialsLoader credentials,
    ObjectWriter writer,
    EventRecorder events,
    ReconcilerOptions options,
    ILogger<ScaleStep> logger)
{
    public const string ScaleStepReason = "ScaleStep";
    public const string ScaleStepFailedReason = "ScaleStepFailed";

    private static readonly ResourcePath StatefulSets = new("apps", "v1", "statefulsets");

    public async Task<ScaleStepResult> RunAsync(PassObservation observed, MemberStepResult members, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(members);
        var resource = observed.Resource;
        var (ns, name) = (resource.Metadata.NamespaceProperty, resource.Metadata.Name);
        if (edge is UnavailableReplicaSetEdge || observed.Pods.Targets.Count == 0
            || !MemberVerificationStep.Bootstrapped(resource, members.Verification)
            || !ScaleGate.Due(resource.Spec.Members, observed.StatefulSetReplicas, observed.Pods.ReadyCount, resource.Status?.Conditions,
                members.VerifiedNow))
        {
            return ScaleStepResult.Idle;
        }
        using var loaded = await credentials.LoadAsync(resource, ct);
        if (loaded.Credentials is not { } creds)
        {
            return new(null, "waiting for certificates: " + loaded.Missing);
        }
        var read = await edge.ReadAsync(observed.Pods.Targets, creds, ct);
        var hosts = Enumerable.Range(0, ScaleGate.MaxMembers).Select(i => MemberPods.AdvertisedHost(ns, name, i)).ToList();
        var o = read.Failure is null
            ? ScaleReading.Observe(read.GetConfig!, read.GetStatus!, hosts, resource.Spec.Members, options.LagBoundSeconds)
            : null;
        if (o is null)
        {
            return new(new ScaleAction.Wait(read.Failure ?? "the primary's replSetGetConfig or replSetGetStatus has no members"), null);
        }
        var action = ScalePlanner.Next(o);
        var failure = action switch
        {
            ScaleAction.Reconfig r => await edge.ReconfigAsync(read.Primary!, ScaleReading.NextConfig(read.GetConfig!["config"].AsBsonDocument, r), creds, ct),
            ScaleAction.StepDown => await edge.StepDownAsync(read.Primary!, creds, ct),
            _ => null,
        };
        await AnnounceAsync(observed, action, failure, ct);
        // Pods go only after their members left the config (PodsToKeep is from this pass's read, before its step).
        var keep = ScalePlanner.PodsToKeep(o);
        if (observed.StatefulSetReplicas is { } live && live > keep)
        {
            await ShrinkAsync(observed, live, keep, ct);
        }
        return new(action, failure is null ? null : $"{action.Reason}: {failure}");
    }

    private async Task AnnounceAsync(PassObservation observed, ScaleAction action, string? failure, CancellationToken ct)
    {
        if (action is not (ScaleAction.Reconfig or ScaleAction.StepDown))
        {
            return;
        }
        var what = action is ScaleAction.Reconfig r ? $"replSetReconfig to version {r.Version}: {r.Reason}" : $"replSetStepDown: {action.Reason}";
        if (failure is null)
        {
            LogStep(logger, observed.Resource.Metadata.Name, what);
            await events.RecordAsync(observed.Resource, EventRecorder.Normal, ScaleStepReason, what, ct);
        }
        else
        {
            await events.RecordAsync(observed.Resource, EventRecorder.Warning, ScaleStepFailedReason, $"{what} refused: {failure}", ct);
        }
    }

    private async Task ShrinkAsync(PassObservation observed, int live, int keep, CancellationToken ct)
    {
        var name = Names.StatefulSet(observed.Resource.Metadata.Name);
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = keep } };
        await writer.MergePatchAsync(StatefulSets, observed.Resource.Metadata.NamespaceProperty, name, patch, ct);
        await events.RecordAsync(observed.Resource, EventRecorder.Normal, ScaleStepReason,
            $"StatefulSet {name} scaled from {live} to {keep} pods: the members beyond were removed from the config (their claims are kept)", ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "scale step on {Name}: {What}")]
    private static partial void LogStep(ILogger logger, string name, string what);
}
