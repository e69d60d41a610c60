using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.ControllerRuntime.Reconcile;
using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Deletion;
using HipaaMongo.Operator.Reconciliation.Drift;
using HipaaMongo.Operator.Reconciliation.Evidence;
using HipaaMongo.Operator.Reconciliation.Observe;
using HipaaMongo.Operator.Reconciliation.Rolling;
using HipaaMongo.Operator.Reconciliation.Rollout;
using HipaaMongo.Operator.Reconciliation.Scaling;
using HipaaMongo.Operator.Reconciliation.Status;
using HipaaMongo.Operator.Reconciliation.Storage;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Reporting;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>
/// The one place that orchestrates a HipaaMongo (architecture.md, "One pass, file by file"). A pass is a short
/// script of steps, each one screen: gather (read everything once), the children step, the members step, decide
/// (pure <see cref="PassPlanner"/>), act (status, evidence, Events in a fixed order). Nothing is remembered between
/// passes: what the next pass needs is written to the cluster (children's last-applied, status, the pass record).
/// </summary>
public sealed partial class HipaaMongoReconciler(
    Informer<HipaaMongoResource> resources,
    OwnedCaches caches,
    ChildApplier applier,
    StatusWriter status,
    EventRecorder events,
    ReconcilerOptions options,
    TimeProvider time,
    ForeignPolicyTrigger foreignPolicies,
    MemberVerificationStep verification,
    EvidenceWriter evidence,
    VolumeHandover volumes,
    StorageStep storage,
    ScaleStep scaling,
    RolloutStep rolling,
    ReadinessGateStep gates,
    Certificates.CaTrustStep trust,
    ILogger<HipaaMongoReconciler> logger) : IReconciler<HipaaMongoResource>
{
    // Attached at construction, which the runtime does before informers deliver events (ForeignPolicyTrigger).
    private readonly ForeignPolicyTrigger _foreignPolicies = foreignPolicies.Attach(resources.Cache);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var resource = resources.Cache.Get(key);
        if (resource is null)
        {
            return ReconcileResult.Done; // gone: owned objects go by garbage collection
        }
        if (Finalizers.IsBeingDeleted(resource.Metadata))
        {
            await FinalizeAsync(resource, cancellationToken);
            return ReconcileResult.Done;
        }
        await EnsureFinalizerAsync(resource, cancellationToken);
        var errors = HipaaMongoValidator.Validate(resource, null);
        if (errors.Count > 0)
        {
            await StallAsync(resource, errors, cancellationToken);
            return ReconcileResult.Done; // a spec edit triggers the next pass
        }

        var observed = Gather(resource);
        var children = await ApplyChildrenAsync(observed, await storage.RunAsync(resource, observed.Desired, cancellationToken), cancellationToken);
        var members = await verification.RunAsync(resource, observed.Model, observed.Pods, observed.Stored.Pass ?? PassRecord.Empty,
            observed.Now, cancellationToken);
        var scale = await scaling.RunAsync(observed, members, cancellationToken);
        var rollout = await rolling.RunAsync(observed, members, scale, cancellationToken);
        var gated = await gates.RunAsync(observed, cancellationToken);
        var ca = await trust.RunAsync(resource, members.ForCaTrust, cancellationToken);
        // A new step goes here: it reads from `observed`, returns a result record, and PassPlanner.Decide takes it.
        var decision = PassPlanner.Decide(observed, children, members, new(options.WaitRetry, options.ProveCorrectionDelay), scale, rollout, ca);
        await ActAsync(resource, decision, cancellationToken);
        await AnnounceFailuresAsync(resource, children.Failures, cancellationToken);
        if (children.Failures.FirstOrDefault(f => !f.Stalled) is { } transient)
        {
            // After the status is written: the work queue retries with backoff; a Stalled one waits for a change.
            throw new ChildApplyException(transient.Describe());
        }
        // A member pod whose readiness gate is not True yet is judged again soon, not only at the verification interval.
        return ReconcileResult.RequeueAfter(gated.Pending && decision.Requeue > options.WaitRetry ? options.WaitRetry : decision.Requeue);
    }

    // Gather: every read of the pass from the caches, before anything is written.
    private PassObservation Gather(HipaaMongoResource resource)
    {
        var ns = resource.Metadata.NamespaceProperty;
        var statefulSet = caches.StatefulSets.Get(new ObjectKey(ns, Names.StatefulSet(resource.Metadata.Name)));
        var model = BaselineModelMapper.Map(resource);
        // Pods of members still in the config are kept until the scale step removed them (ScaleGate.PodsToRender).
        var pods = ScaleGate.PodsToRender(resource.Spec.Members, statefulSet?.Spec?.Replicas);
        var memberPods = caches.Pods.List(ns).Where(p => MemberPods.Owner(p).Any(k => k.Name == resource.Metadata.Name)).ToList();
        return new PassObservation(
            resource,
            time.GetUtcNow(),
            DesiredStateRenderer.Render(model with { Members = pods }, options.Render),
            model,
            evidence.Stored(resource), // what the last pass left for this one, read before this pass writes it
            caches.NetworkPolicies.List(ns),
            MemberPods.From(ns, resource.Metadata.Name, resource.Spec.Members, memberPods),
            statefulSet?.Status?.ReadyReplicas ?? 0,
            statefulSet?.Spec?.Replicas,
            statefulSet,
            memberPods);
    }

    // The children step: read every child, decide each (pure ChildPlanner), then write only where it differs; one
    // Event per write that put back someone else's change (OutOfBandChanges: writes that only follow a spec change
    // are not drift). The storage step decided the StatefulSet's claim size and whether it is held back while
    // re-created. Each child on its own: one the API refuses is recorded, and the others still reach the render.
    private async Task<ChildrenResult> ApplyChildrenAsync(PassObservation observed, StorageResult storage, CancellationToken ct)
    {
        var children = observed.Desired.Objects.Select(o => LastApplied.Key(ObjectJson.From(o))).ToList();
        var failures = new List<ChildFailure>(storage.Failures);
        var readings = new List<ChildReading>();
        foreach (var obj in storage.Desired.Objects.Where(o => !storage.Holds(o)))
        {
            await ChildAsync(obj, failures, async () => readings.Add(await applier.ReadAsync(obj, children, ct)), ct);
        }
        var plans = readings.Select(r => (Reading: r, Plan: ChildPlanner.Decide(r))).ToList();
        var applied = new List<AppliedObject>();
        foreach (var (reading, plan) in plans)
        {
            await ChildAsync(reading.Desired, failures, async () =>
            {
                await applier.WriteAsync(reading, plan, ct);
                applied.Add(plan);
            }, ct);
        }
        // What the previous generation rendered is read from the children as found (LastApplied), not remembered.
        var previous = LastApplied.Previous([.. applied.Select(a => (ObjectJson.From(a.Desired), a.Live))]);
        var reverted = OutOfBandChanges.Reverted(applied, observed.Settled, previous);
        foreach (var finding in reverted)
        {
            await events.RecordAsync(observed.Resource, EventRecorder.Warning, finding.Class.ToString(), "reverted: " + finding.Message, ct);
        }
        return new ChildrenResult(applied, reverted, failures);
    }

    // One child's read or write: an API error is recorded as that child's failure, never the pass's.
    private static async Task ChildAsync(IKubernetesObject<V1ObjectMeta> obj, List<ChildFailure> failures, Func<Task> step, CancellationToken ct)
    {
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException && !ct.IsCancellationRequested)
        {
            failures.Add(ChildFailures.From(obj.Kind, obj.Metadata.Name, ex));
        }
    }

    // Act, in a fixed order: status, then the control Events, then the evidence and pass record that remember them.
    // Each Event is named by the stored pass record it was decided from, so a pass stopped or failed before the record's
    // write re-decides the same Events under the same names (AlreadyExists: not repeated), and none is lost.
    private async Task ActAsync(HipaaMongoResource resource, PassDecision decision, CancellationToken ct)
    {
        if (decision.WriteStatus)
        {
            await status.PatchAsync(resource, decision.Status.Conditions, ct, decision.Status.Body);
            if (decision.IsolationChanged)
            {
                foreach (var finding in decision.ForeignPolicies)
                {
                    await events.RecordAsync(resource, EventRecorder.Warning, finding.Class.ToString(), finding.Message, ct);
                }
            }
        }
        foreach (var announcement in decision.Announcements)
        {
            await AnnounceAsync(resource, announcement, ct);
        }
        if (decision.Evidence is { } write)
        {
            await evidence.WriteAsync(resource, decision.Report, write.ConfigHash, write.Certificates, write.Corrections, write.Pass, ct);
        }
    }

    // A refusal (4xx other than 429) cannot be cured by retrying: logged, and the pass goes on. Anything else fails the
    // pass before the record is written, so the work queue's retry announces it.
    private async Task AnnounceAsync(HipaaMongoResource resource, Announcement announcement, CancellationToken ct)
    {
        var change = announcement.Change;
        var reason = change.To switch
        {
            Outcome.Fail => EventReasons.ControlFailed,
            Outcome.Pass => EventReasons.ControlPassed,
            _ => EventReasons.ControlUnproven,
        };
        try
        {
            await events.RecordOnceAsync(resource, change.IsWarning ? EventRecorder.Warning : EventRecorder.Normal, reason, change.Message,
                announcement.Occurrence, ct);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode is { } code && (int)code is >= 400 and < 500 and not 429)
        {
            LogAnnouncementRefused(logger, reason, change.ControlId, (int)code);
        }
    }

    // Level-based: one Warning per failure the status did not already name, so a failure repeated every pass is
    // announced once (the status read is the one this pass started from).
    private async Task AnnounceFailuresAsync(HipaaMongoResource resource, IReadOnlyList<ChildFailure> failures, CancellationToken ct)
    {
        foreach (var failure in ChildFailureStatus.Unannounced(resource.Status?.Conditions, failures))
        {
            await events.RecordAsync(resource, EventRecorder.Warning, ChildFailureStatus.ReasonOf(failure), failure.Describe(), ct);
        }
    }

    private async Task FinalizeAsync(HipaaMongoResource resource, CancellationToken ct)
    {
        // deletionPolicy (docs/deletion.md): Retain never touches the data claims (the StatefulSet never owns them);
        // Delete hands them to the garbage collector as dependents of this resource, so they go only once it is
        // gone. A handover that fails throws: the finalizer stays and the pass is retried with backoff.
        applier.Forget(resource.Metadata.Uid); // no child is written any more: drop its cached defaulted renders
        var finalizers = resource.Metadata.Finalizers?.ToList() ?? [];
        if (finalizers.Contains(ReconcilerOptions.Finalizer))
        {
            await volumes.RunAsync(resource, ct);
            finalizers.Remove(ReconcilerOptions.Finalizer);
            await status.SetFinalizersAsync(resource, finalizers, ct);
            LogFinalized(logger, resource.Metadata.Name, resource.Spec.DeletionPolicy.ToString());
        }
        evidence.Forget(resource);
    }

    private async Task EnsureFinalizerAsync(HipaaMongoResource resource, CancellationToken ct)
    {
        if (Finalizers.Has(resource.Metadata, ReconcilerOptions.Finalizer))
        {
            return;
        }
        var finalizers = resource.Metadata.Finalizers?.ToList() ?? [];
        finalizers.Add(ReconcilerOptions.Finalizer);
        await status.SetFinalizersAsync(resource, finalizers, ct);
    }

    private async Task StallAsync(HipaaMongoResource resource, IReadOnlyList<ValidationError> errors, CancellationToken ct)
    {
        var plan = StatusPlanner.Invalid(resource, errors, StatusTime.Seconds(time.GetUtcNow()));
        if (!plan.Changed && resource.Status?.ObservedGeneration == resource.Metadata.Generation)
        {
            return; // already reported for this generation: no write, no repeated Event
        }
        await status.PatchAsync(resource, plan.Conditions, ct);
        var message = "spec refused, no child object written: " + string.Join("; ", errors.Select(e => e.ToString()));
        await events.RecordAsync(resource, EventRecorder.Warning, ConditionReasons.SpecInvalid, message, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "released finalizer of {Name} (deletionPolicy {Policy})")]
    private static partial void LogFinalized(ILogger logger, string name, string policy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the API refused the {Reason} Event for {Control} ({Code}); the pass goes on without it")]
    private static partial void LogAnnouncementRefused(ILogger logger, string reason, string control, int code);
}
