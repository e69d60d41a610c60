using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Drift;
using HipaaMongo.Operator.Reconciliation.Status;
using HipaaMongo.Operator.Reconciliation.Verification;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>
/// Computes the next status (kstatus: Reconciling and Stalled are present only when True, Ready always).
/// Pure: takes the current status and what the pass found, returns the new one and whether anything moved.
/// </summary>
public static class StatusPlanner
{
    /// <summary>Body null: only observedGeneration and conditions are written.</summary>
    public sealed record Plan(List<V1Condition> Conditions, bool Changed, StatusBody? Body = null);

    /// <summary>What one applied pass found, for <see cref="Applied"/>.</summary>
    public sealed record Facts(
        MemberPods Pods,
        int StatefulSetReadyReplicas,
        VerificationRun Verification,
        IReadOnlyList<MemberVerification>? Verified,
        ComplianceReport Report,
        IReadOnlyList<DriftFinding> ForeignPolicies,
        DateTimeOffset? MemberCertificateNotAfter,
        IReadOnlyList<ChildFailure>? ChildFailures = null,
        string? Scaling = null,
        RolloutFact? Rollout = null,
        List<string>? PhiAccess = null,
        string? FeatureCompatibilityVersion = null);

    /// <summary>A rollout under way (Reconciling, reason RollingUpdate) or halted (Stalled, reason RolloutHalted), with its sentence.</summary>
    public sealed record RolloutFact(string Message, bool Halted);

    /// <summary>The spec is refused: Stalled with every field-path message, not Ready, not progressing.</summary>
    public static Plan Invalid(HipaaMongoResource resource, IReadOnlyList<ValidationError> errors, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(errors);
        var conditions = Current(resource);
        var generation = resource.Metadata.Generation;
        var message = string.Join("; ", errors.Select(e => e.ToString()));
        var changed = Conditions.Set(conditions, ConditionTypes.Stalled, Conditions.True, ConditionReasons.SpecInvalid, message, generation, now);
        changed |= Conditions.Set(conditions, ConditionTypes.Ready, Conditions.False, ConditionReasons.SpecInvalid, message, generation, now);
        changed |= Conditions.Remove(conditions, ConditionTypes.Reconciling);
        return new Plan(conditions, changed);
    }

    /// <summary>
    /// Every child was applied. Ready=True needs every declared member's pod Ready AND the last verification to
    /// have reached every member (a failing control does not make it False: that is the safeguard conditions'
    /// and COMPLIANT's job). The safeguard conditions come from the compliance report.
    /// </summary>
    public static Plan Applied(HipaaMongoResource resource, Facts facts, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(facts);
        var conditions = Current(resource);
        var generation = resource.Metadata.Generation;
        var failures = facts.ChildFailures ?? [];
        // Removed only when nothing stalls now: removing and setting it again would move it in every pass.
        var changed = !failures.Any(f => f.Stalled) && facts.Rollout is not { Halted: true } && Conditions.Remove(conditions, ConditionTypes.Stalled);
        var (ready, message) = Readiness(resource.Spec.Members, facts);
        if (failures.Count > 0)
        {
            changed |= ChildFailureStatus.Apply(conditions, failures, generation, now);
        }
        else if (facts.Scaling is { } scaling)
        {
            // The set is being resized: not Ready until its config holds the spec's members, all voting.
            changed |= Conditions.Set(conditions, ConditionTypes.Ready, Conditions.False, ConditionReasons.Scaling, scaling, generation, now);
            changed |= Conditions.Set(conditions, ConditionTypes.Reconciling, Conditions.True, ConditionReasons.Scaling, scaling, generation, now);
        }
        else if (facts.Rollout is { } rollout)
        {
            changed |= RolloutConditions(conditions, rollout, generation, now);
        }
        else if (ready)
        {
            changed |= Conditions.Set(conditions, ConditionTypes.Ready, Conditions.True, ConditionReasons.ReconciliationSucceeded, message, generation, now);
            changed |= Conditions.Remove(conditions, ConditionTypes.Reconciling);
        }
        else
        {
            changed |= Conditions.Set(conditions, ConditionTypes.Ready, Conditions.False, ConditionReasons.MembersNotReady, message, generation, now);
            changed |= Conditions.Set(conditions, ConditionTypes.Reconciling, Conditions.True, ConditionReasons.MembersNotReady, message, generation, now);
        }
        foreach (var safeguard in facts.Report.Safeguards)
        {
            var (reason, text) = Safeguard(safeguard, facts.ForeignPolicies);
            changed |= Conditions.Set(conditions, safeguard.Type, safeguard.Status, reason, text, generation, now);
        }
        var body = StatusBody.Plan(resource.Status, facts.Verified, facts.StatefulSetReadyReplicas, facts.Report,
            facts.Verification.State == VerificationState.Verified, facts.MemberCertificateNotAfter, facts.PhiAccess, facts.FeatureCompatibilityVersion);
        changed |= body.DiffersFrom(StatusBody.Of(resource.Status));
        return new Plan(conditions, changed, body);
    }

    // kstatus: a halted rollout is Stalled (not progressing until the spec or the member changes), one under way Reconciling.
    private static bool RolloutConditions(List<V1Condition> conditions, RolloutFact rollout, long? generation, DateTime now)
    {
        var reason = rollout.Halted ? ConditionReasons.RolloutHalted : ConditionReasons.RollingUpdate;
        var changed = Conditions.Set(conditions, ConditionTypes.Ready, Conditions.False, reason, rollout.Message, generation, now);
        if (rollout.Halted)
        {
            changed |= Conditions.Set(conditions, ConditionTypes.Stalled, Conditions.True, reason, rollout.Message, generation, now);
            return changed | Conditions.Remove(conditions, ConditionTypes.Reconciling);
        }
        return changed | Conditions.Set(conditions, ConditionTypes.Reconciling, Conditions.True, reason, rollout.Message, generation, now);
    }

    private static (bool Ready, string Message) Readiness(int declared, Facts facts)
    {
        if (!facts.Pods.AllReady)
        {
            return (false, $"{facts.Pods.ReadyCount} of {declared} members ready");
        }
        if (facts.Verified is null)
        {
            return (false, $"all {declared} members' pods ready; {facts.Verification.Message ?? "members not verified yet"}");
        }
        var reached = facts.Verified.Count(v => v.Reachable);
        return reached >= declared
            ? (true, $"all {declared} members ready and verified; every desired object applied")
            : (false, $"{reached} of {declared} members reached by the last verification");
    }

    // NetworkIsolated keeps naming the foreign policies (reason DriftDetected) as before compliance existed.
    private static (string Reason, string Message) Safeguard(SafeguardStatus s, IReadOnlyList<DriftFinding> foreign) =>
        s.Type == ConditionTypes.NetworkIsolated && s.Status == Conditions.False && foreign.Count > 0
            && s.Reason != ConditionReasons.PolicyMissing
            ? (ConditionReasons.DriftDetected,
                "policies not ours open the pods: " + string.Join(", ", foreign.Select(f => f.Name).Distinct().Order(StringComparer.Ordinal)) + ". " + s.Message)
            : (s.Reason, s.Message);

    // A copy, so the cached object is never mutated.
    private static List<V1Condition> Current(HipaaMongoResource resource) => Conditions.Copy(resource.Status?.Conditions);
}
