using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.ControllerRuntime.Reconcile;
using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Drift;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>
/// The one place that orchestrates a HipaaMongo (architecture.md, "The reconcile, as data flows"):
/// read from the cache, finalizer/deletion, validate, render, apply each child writing only what
/// differs, report drift as Events, patch status only when it changed, requeue for verification.
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
        var applied = new List<AppliedObject>();
        foreach (var obj in desired.Objects)
        {
            applied.Add(await applier.ApplyAsync(obj, cancellationToken));
        }
        await ReportDriftAsync(resource, applied, cancellationToken);

        var foreign = ForeignPolicyDetector.Detect(desired, caches.NetworkPolicies.List(key.Namespace));
        var plan = StatusPlanner.Applied(resource, ReadyMembers(resource), foreign, Now());
        if (plan.Changed || resource.Status?.ObservedGeneration != resource.Metadata.Generation)
        {
            await status.PatchAsync(resource, plan.Conditions, cancellationToken);
            await ReportForeignPoliciesAsync(resource, plan, foreign, cancellationToken);
        }
        return ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(resource.Spec.Verification.IntervalSeconds));
    }

    private async Task FinalizeAsync(HipaaMongoResource resource, CancellationToken ct)
    {
        // Retain (the default): PVCs stay (the StatefulSet's retention policy), owned objects go by GC.
        // Delete's PVC removal is not built yet; the finalizer is released either way so deletion completes.
        var finalizers = resource.Metadata.Finalizers?.ToList() ?? [];
        if (finalizers.Remove(ReconcilerOptions.Finalizer))
        {
            await status.SetFinalizersAsync(resource, finalizers, ct);
            LogFinalized(logger, resource.Metadata.Name, resource.Spec.DeletionPolicy.ToString());
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
        var plan = StatusPlanner.Invalid(resource, errors, Now());
        if (!plan.Changed && resource.Status?.ObservedGeneration == resource.Metadata.Generation)
        {
            return; // already reported for this generation: no write, no repeated Event
        }
        await status.PatchAsync(resource, plan.Conditions, ct);
        var message = "spec refused, no child object written: " + string.Join("; ", errors.Select(e => e.ToString()));
        await events.RecordAsync(resource, EventRecorder.Warning, ConditionReasons.SpecInvalid, Truncate(message), ct);
    }

    // One Event per corrected drift. Writes that follow a spec change (or the first creation) are not drift.
    private async Task ReportDriftAsync(HipaaMongoResource resource, IReadOnlyList<AppliedObject> applied, CancellationToken ct)
    {
        if (resource.Status?.ObservedGeneration != resource.Metadata.Generation)
        {
            return;
        }
        foreach (var finding in applied.Where(a => a.Decision.WriteNeeded).SelectMany(a => a.Decision.Findings))
        {
            await events.RecordAsync(resource, EventRecorder.Warning, finding.Class.ToString(), Truncate("reverted: " + finding.Message), ct);
        }
    }

    private async Task ReportForeignPoliciesAsync(HipaaMongoResource resource, StatusPlanner.Plan plan,
        IReadOnlyList<DriftFinding> foreign, CancellationToken ct)
    {
        if (!plan.Changed || foreign.Count == 0)
        {
            return;
        }
        foreach (var finding in foreign)
        {
            await events.RecordAsync(resource, EventRecorder.Warning, finding.Class.ToString(), Truncate(finding.Message), ct);
        }
    }

    private int ReadyMembers(HipaaMongoResource resource)
    {
        var statefulSet = caches.StatefulSets.Get(new ObjectKey(resource.Metadata.NamespaceProperty, Names.StatefulSet(resource.Metadata.Name)));
        return statefulSet?.Status?.ReadyReplicas ?? 0;
    }

    // metav1.Time has whole seconds on the wire; keeping them avoids storing a precision the API drops.
    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    // Event messages are limited to 1 kB by the API server.
    private static string Truncate(string message) => message.Length <= 1000 ? message : message[..997] + "...";

    [LoggerMessage(Level = LogLevel.Information, Message = "released finalizer of {Name} (deletionPolicy {Policy})")]
    private static partial void LogFinalized(ILogger logger, string name, string policy);
}
