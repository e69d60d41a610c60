using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.KeyManagement;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Drift;
using HipaaMongo.Operator.Reconciliation.Evidence;
using HipaaMongo.Operator.Reconciliation.Observe;
using HipaaMongo.Operator.Reconciliation.Rollout;
using HipaaMongo.Operator.Reconciliation.Status;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Reporting;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>What a pass read before it wrote anything: one clock reading, one render, each cache read once.</summary>
public sealed record PassObservation(
    HipaaMongoResource Resource,
    DateTimeOffset Now,
    DesiredState Desired,
    BaselineModel Model,
    StoredEvidence Stored,
    IReadOnlyList<V1NetworkPolicy> Policies,
    MemberPods Pods,
    int StatefulSetReadyReplicas,
    int? StatefulSetReplicas = null,
    V1StatefulSet? StatefulSet = null,
    IReadOnlyList<V1Pod>? MemberPodObjects = null)
{
    /// <summary>The status already describes this generation (false on the first pass after a spec change).</summary>
    public bool Settled => Resource.Status?.ObservedGeneration == Resource.Metadata.Generation;
}

/// <summary>What the children step did: each child as found and written, the writes that put back someone else's change,
/// and the children the API refused (absent from Applied).</summary>
public sealed record ChildrenResult(IReadOnlyList<AppliedObject> Applied, IReadOnlyList<DriftFinding> Reverted,
    IReadOnlyList<ChildFailure>? Failures = null)
{
    public IReadOnlyList<ChildFailure> Failures { get; } = Failures ?? [];
}

/// <summary>Everything the closing writes of a pass need, decided from values.</summary>
public sealed record PassDecision(
    ComplianceReport Report,
    StatusPlanner.Plan Status,
    bool WriteStatus,
    IReadOnlyList<DriftFinding> ForeignPolicies,
    bool IsolationChanged,
    EvidenceWrite? Evidence,
    IReadOnlyList<Announcement> Announcements,
    TimeSpan Requeue);

/// <summary>A control change to announce, and the key that names its Event (<see cref="PassRecord.Occurrence"/>).</summary>
public sealed record Announcement(ControlChange Change, string Occurrence);

/// <summary>The evidence ConfigMap to write: the ledger's inputs and the record for the next pass.</summary>
public sealed record EvidenceWrite(string ConfigHash, IReadOnlyList<CertificateEntry> Certificates, IReadOnlyList<DriftCorrection> Corrections,
    PassRecord Pass);

/// <summary>
/// Pure: from what the pass observed and what its children and member steps did, the compliance report, the status,
/// the evidence and pass record, the control Events and when to come back. A write only when something differs,
/// so a pass at rest writes nothing.
/// </summary>
public static class PassPlanner
{
    public sealed record Timing(TimeSpan WaitRetry, TimeSpan ProveCorrectionDelay);

    public static PassDecision Decide(PassObservation o, ChildrenResult children, MemberStepResult members, Timing timing,
        ScaleStepResult? scale = null, RolloutStepResult? rollout = null, Certificates.CaTrustPlan? ca = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(children);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(timing);
        var resource = o.Resource;
        // The first pass of a generation writes what the new spec needs; what it found before is not evidence. The
        // Kubernetes findings are what the children step found BEFORE it corrected anything.
        var kubernetes = o.Settled ? ClusterFindings.Kubernetes(o.Desired, children.Applied, o.Policies, o.Now, children.Failures, o.Pods.Targets.Count) : KubernetesFindings.None;
        var certificates = ClusterFindings.Certificates(children.Applied, o.Now, o.Settled, children.Failures);
        var report = ComplianceEvaluator.Evaluate(new Observation
        {
            Now = EvaluatedAt(o.Now, members),
            VerificationInterval = VerificationSchedule.Interval(resource),
            Desired = DesiredFacts.For(o.Model),
            Kubernetes = kubernetes,
            Members = members.Members?.Select(m => m.ToFinding()).ToList() ?? ClusterFindings.Unread(resource.Metadata.Name, resource.Spec.Members),
            Certificates = certificates,
        });
        var foreign = ForeignPolicyDetector.Detect(o.Desired, o.Policies);
        var facts = new StatusPlanner.Facts(o.Pods, o.StatefulSetReadyReplicas, members.Run, members.Members, report, foreign,
            ClusterFindings.MemberCertificateNotAfter(certificates, resource.Metadata.Name), children.Failures,
            scale is { InProgress: true } ? scale.Message : null,
            rollout is { InProgress: true } or { Halted: true } ? new StatusPlanner.RolloutFact(rollout.Message!, rollout.Halted) : null,
            members.PhiAccess, rollout?.FeatureCompatibilityVersion);
        var status = StatusPlanner.Applied(resource, facts, StatusTime.Seconds(o.Now));
        status = status with
        {
            Changed = KeyManagementCondition.Apply(status.Conditions, kmipDeclared: true, members.KeyManagement, resource.Metadata.Generation,
                StatusTime.Seconds(o.Now))
                | Certificates.CaTrustPlanner.Apply(status.Conditions, ca, resource.Metadata.Generation, StatusTime.Seconds(o.Now))
                | Ldap.DirectoryCondition.Apply(status.Conditions, resource.Spec.Ldap is not null, members.Directory, resource.Metadata.Generation,
                    StatusTime.Seconds(o.Now))
                | status.Changed,
        };
        var writeStatus = status.Changed || !o.Settled;

        // The first pass of a generation announces nothing either.
        var before = Announced(resource, o.Stored);
        var announcements = o.Settled ? ControlAnnouncements.Plan(before, report) : new ControlAnnouncements.Result([], before);
        var stored = o.Stored.Pass ?? PassRecord.Empty;
        var next = new PassRecord
        {
            Announced = announcements.Remember,
            Warned = members.Warned,
            Verification = members.Verification,
            Sequence = stored.Sequence + 1,
        };
        var corrections = Corrections(children.Reverted, members, o.Now);
        if (members.VerifiedNow)
        {
            corrections.AddRange(EvidenceInputs.MasterKeys(MasterKeyChanges.Between(resource.Status?.Members, members.Members ?? []), o.Now));
        }
        var evidence = writeStatus || corrections.Count > 0 || next.DiffersFrom(o.Stored.Pass)
            ? new EvidenceWrite(EvidenceInputs.ConfigHash(o.Desired), EvidenceInputs.Certificates(children.Applied, certificates), corrections, next)
            : null;
        var changes = announcements.Changes.Select(c => new Announcement(c, stored.Occurrence($"control/{c.ControlId}/{c.To}"))).ToList();
        return new PassDecision(report, status, writeStatus, foreign, IsolationChanged(resource, status), evidence, changes,
            scale is { InProgress: true } || rollout is { InProgress: true } || ca is { Stage: not (Certificates.CaTrustStage.Consistent or Certificates.CaTrustStage.Waiting) }
                ? timing.WaitRetry : Requeue(o, members, timing));
    }

    /// <summary>
    /// The evaluation is as of the last read of the pass: members read in this pass were read after its start (the
    /// gather's clock reading), and a read later than the evaluation would count as clock skew. Reads of earlier
    /// passes keep the start, so a stored read from a clock ahead of this one is still caught.
    /// </summary>
    public static DateTimeOffset EvaluatedAt(DateTimeOffset start, MemberStepResult members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return members.VerifiedNow && members.Members is [_, ..] read
            ? read.Select(m => m.ObservedAt).Append(start).Max()
            : start;
    }

    // The outcomes the last pass announced, from the cluster: the pass record; for a record written before it
    // existed, the known outcomes of the evidence record; without either, what the status proves.
    private static IReadOnlyDictionary<string, Outcome> Announced(HipaaMongoResource resource, StoredEvidence stored) =>
        stored.Pass?.Announced
        ?? (stored.Record is { } record
            ? ControlAnnouncements.Known(ControlChanges.Outcomes(record.Compliance))
            : ControlChanges.PreviousOutcomes(resource.Status?.Compliance));

    // What this pass put back (Kubernetes objects changed out of band; runtime settings of a verification that ran now).
    private static List<DriftCorrection> Corrections(IReadOnlyList<DriftFinding> reverted, MemberStepResult members, DateTimeOffset at) =>
    [
        .. EvidenceInputs.Reverted(reverted, at),
        .. members.VerifiedNow ? EvidenceInputs.Runtime(members.Members ?? []) : [],
    ];

    // The earlier of the next verification and the interval; soon while waiting for certificates or bootstrap.
    private static TimeSpan Requeue(PassObservation o, MemberStepResult members, Timing timing)
    {
        var interval = VerificationSchedule.Interval(o.Resource);
        if (members.Run.State == VerificationState.Waiting)
        {
            return timing.WaitRetry;
        }
        if (!o.Pods.AllRunning && !VerificationSchedule.Bootstrapped(o.Resource, members.Verification))
        {
            return interval; // a pod event wakes the next pass
        }
        var due = VerificationSchedule.NextDue(members.Verification?.History, o.Resource.Metadata.Generation, o.Pods.Signature, interval,
            timing.ProveCorrectionDelay);
        var wait = due - o.Now;
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait > interval ? interval : wait;
    }

    private static bool IsolationChanged(HipaaMongoResource resource, StatusPlanner.Plan plan)
    {
        var before = Conditions.Find(resource.Status?.Conditions, ConditionTypes.NetworkIsolated);
        var after = Conditions.Find(plan.Conditions, ConditionTypes.NetworkIsolated);
        return before?.Status != after?.Status || before?.Message != after?.Message;
    }
}
