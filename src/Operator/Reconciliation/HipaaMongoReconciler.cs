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
using HipaaMongo.Operator.Reconciliation.Status;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Reporting;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>
/// The one place that orchestrates a HipaaMongo (architecture.md, "The reconcile, as data flows"):
/// read from the cache, finalizer/deletion, validate, render, observe and apply each child writing only what
/// differs, verify the members when due, evaluate compliance, patch status only when it changed, announce
/// changes as Events, requeue for the next verification.
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
    ReconcileMemory memory,
    EvidenceWriter evidence,
    VolumeHandover volumes,
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

        var desired = DesiredStateRenderer.Render(resource, options.Render);
        var children = desired.Objects.Select(o => LastApplied.Key(ObjectJson.From(o))).ToList();
        var applied = new List<AppliedObject>();
        foreach (var obj in desired.Objects)
        {
            applied.Add(await applier.ApplyAsync(obj, children, cancellationToken));
        }
        var settled = resource.Status?.ObservedGeneration == resource.Metadata.Generation;
        // What the previous generation rendered is read from the children as found (LastApplied), not remembered.
        var previous = LastApplied.Previous([.. applied.Select(a => (ObjectJson.From(a.Desired), a.Live))]);
        var reverted = OutOfBandChanges.Reverted(applied, settled, previous);
        await ReportDriftAsync(resource, reverted, cancellationToken);
        return await VerifyAndReportAsync(resource, desired, applied, reverted, cancellationToken);
    }

    // Steps 5-7: members, compliance, status and Events. The Kubernetes findings are what the apply step found
    // BEFORE it corrected anything, so a deleted policy fails in the pass that re-creates it.
    private async Task<ReconcileResult> VerifyAndReportAsync(HipaaMongoResource resource, DesiredState desired,
        IReadOnlyList<AppliedObject> applied, IReadOnlyList<DriftFinding> reverted, CancellationToken ct)
    {
        var ns = resource.Metadata.NamespaceProperty;
        var stored = evidence.Stored(resource); // read before this pass writes it: the outcomes the last pass announced
        // The first pass of a generation writes what the new spec needs; what it found before is not evidence.
        var settled = resource.Status?.ObservedGeneration == resource.Metadata.Generation;
        var policies = caches.NetworkPolicies.List(ns);
        var observedAt = time.GetUtcNow();
        var kubernetes = settled ? ClusterFindings.Kubernetes(desired, applied, policies, observedAt) : KubernetesFindings.None;
        var certificates = ClusterFindings.Certificates(applied, observedAt, settled);
        var model = BaselineModelMapper.Map(resource);
        var mem = memory.For(resource.Metadata.Uid ?? ObjectKey.From(resource).ToString());
        var pods = MemberPods.From(ns, resource.Metadata.Name, resource.Spec.Members, caches.Pods.List(ns));
        var run = await verification.RunAsync(resource, model, pods, mem, ct);

        var report = ComplianceEvaluator.Evaluate(new Observation
        {
            Now = time.GetUtcNow(),
            VerificationInterval = MemberVerificationStep.Interval(resource),
            Desired = DesiredFacts.For(model),
            Kubernetes = kubernetes,
            Members = mem.Members?.Select(m => m.ToFinding()).ToList() ?? ClusterFindings.Unread(resource.Metadata.Name, resource.Spec.Members),
            Certificates = certificates,
        });
        var foreign = ForeignPolicyDetector.Detect(desired, policies);
        var facts = new StatusPlanner.Facts(pods, ReadyReplicas(resource), run, mem.Members, report, foreign,
            ClusterFindings.MemberCertificateNotAfter(certificates, resource.Metadata.Name));
        var plan = StatusPlanner.Applied(resource, facts, StatusTime.Seconds(time.GetUtcNow()));
        var corrections = Corrections(reverted, run, mem, observedAt);
        if (plan.Changed || !settled)
        {
            await status.PatchAsync(resource, plan.Conditions, ct, plan.Body);
            await ReportForeignPoliciesAsync(resource, IsolationChanged(resource, plan), foreign, ct);
        }
        if (plan.Changed || !settled || corrections.Count > 0)
        {
            await evidence.WriteAsync(resource, report, EvidenceInputs.ConfigHash(desired),
                EvidenceInputs.Certificates(applied, certificates), corrections, ct);
        }
        if (settled)
        {
            await AnnounceControlsAsync(resource, mem, stored, report, ct);
        }
        return ReconcileResult.RequeueAfter(NextPass(resource, run, pods, mem));
    }

    // What this pass put back (Kubernetes objects changed out of band; runtime settings of a verification that ran now).
    private static List<DriftCorrection> Corrections(IReadOnlyList<DriftFinding> reverted, VerificationRun run,
        ResourceMemory mem, DateTimeOffset at) =>
    [
        .. EvidenceInputs.Reverted(reverted, at),
        .. run.State == VerificationState.Verified ? EvidenceInputs.Runtime(mem.Members ?? []) : [],
    ];

    // The earlier of the next verification and the interval; soon while waiting for certificates or bootstrap.
    private TimeSpan NextPass(HipaaMongoResource resource, VerificationRun run, MemberPods pods, ResourceMemory mem)
    {
        var interval = MemberVerificationStep.Interval(resource);
        if (run.State == VerificationState.Waiting)
        {
            return options.WaitRetry;
        }
        if (!pods.AllReady && !MemberVerificationStep.Bootstrapped(resource, mem))
        {
            return interval; // a pod event wakes the next pass
        }
        var due = VerificationSchedule.NextDue(mem.History, resource.Metadata.Generation, pods.Signature, interval, options.ProveCorrectionDelay);
        var wait = due - time.GetUtcNow();
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait > interval ? interval : wait;
    }

    // One Event per control state change. The previous outcomes are those of the stored evidence record (memory
    // is a cache of the same thing, for a pass that runs before the informer shows this process's last write);
    // without a record, what the status proves.
    private async Task AnnounceControlsAsync(HipaaMongoResource resource, ResourceMemory mem, EvidenceRecord? stored,
        ComplianceReport report, CancellationToken ct)
    {
        var before = mem.Outcomes
            ?? (stored is null ? ControlChanges.PreviousOutcomes(resource.Status?.Compliance) : ControlChanges.Outcomes(stored.Compliance));
        var plan = ControlAnnouncements.Plan(before, report);
        mem.Outcomes = plan.Remember;
        foreach (var change in plan.Changes)
        {
            var reason = change.To switch
            {
                Outcome.Fail => EventReasons.ControlFailed,
                Outcome.Pass => EventReasons.ControlPassed,
                _ => EventReasons.ControlUnproven,
            };
            await events.RecordAsync(resource, change.IsWarning ? EventRecorder.Warning : EventRecorder.Normal, reason, change.Message, ct);
        }
    }

    private async Task FinalizeAsync(HipaaMongoResource resource, CancellationToken ct)
    {
        // deletionPolicy (docs/deletion.md): Retain never touches the data claims (the StatefulSet never owns them);
        // Delete hands them to the garbage collector as dependents of this resource, so they go only once it is
        // gone. A handover that fails throws: the finalizer stays and the pass is retried with backoff.
        var finalizers = resource.Metadata.Finalizers?.ToList() ?? [];
        if (finalizers.Contains(ReconcilerOptions.Finalizer))
        {
            await volumes.RunAsync(resource, ct);
            finalizers.Remove(ReconcilerOptions.Finalizer);
            await status.SetFinalizersAsync(resource, finalizers, ct);
            LogFinalized(logger, resource.Metadata.Name, resource.Spec.DeletionPolicy.ToString());
        }
        if (resource.Metadata.Uid is { } uid)
        {
            memory.Forget(uid);
        }
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

    // One Event per corrected drift (OutOfBandChanges: writes that only follow a spec change are not drift).
    private async Task ReportDriftAsync(HipaaMongoResource resource, IReadOnlyList<DriftFinding> reverted, CancellationToken ct)
    {
        foreach (var finding in reverted)
        {
            await events.RecordAsync(resource, EventRecorder.Warning, finding.Class.ToString(), "reverted: " + finding.Message, ct);
        }
    }

    private static bool IsolationChanged(HipaaMongoResource resource, StatusPlanner.Plan plan)
    {
        var before = Conditions.Find(resource.Status?.Conditions, ConditionTypes.NetworkIsolated);
        var after = Conditions.Find(plan.Conditions, ConditionTypes.NetworkIsolated);
        return before?.Status != after?.Status || before?.Message != after?.Message;
    }

    private async Task ReportForeignPoliciesAsync(HipaaMongoResource resource, bool isolationChanged,
        IReadOnlyList<DriftFinding> foreign, CancellationToken ct)
    {
        if (!isolationChanged || foreign.Count == 0)
        {
            return;
        }
        foreach (var finding in foreign)
        {
            await events.RecordAsync(resource, EventRecorder.Warning, finding.Class.ToString(), finding.Message, ct);
        }
    }

    private int ReadyReplicas(HipaaMongoResource resource)
    {
        var statefulSet = caches.StatefulSets.Get(new ObjectKey(resource.Metadata.NamespaceProperty, Names.StatefulSet(resource.Metadata.Name)));
        return statefulSet?.Status?.ReadyReplicas ?? 0;
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "released finalizer of {Name} (deletionPolicy {Policy})")]
    private static partial void LogFinalized(ILogger logger, string name, string policy);
}
