using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Members;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>
/// The operator's own identities as the members showed them. A user of the operator or the verifier that a member
/// says does not exist (UserNotFound) was dropped out of band: it is announced and created again at once through the
/// idempotent bootstrap (as the operator when only the verifier is gone, else with the member certificate, which
/// mongod maps to __system), so the next verification passes without a restart.
/// </summary>
public sealed partial class MemberVerificationStep
{
    // One Warning per CA change (again only after it settled and came back), naming the leaves still on the old CA.
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> AnnounceCaAsync(HipaaMongoResource resource,
        Certificates.CaChangeState? ca, IReadOnlyDictionary<string, IReadOnlyList<string>> warned, CancellationToken ct)
    {
        var plan = MemberWarnings.Plan(warned, "ca", ca is { Stage: Certificates.CaStage.LeavesOnPreviousCa } ? [ca.Message] : []);
        foreach (var message in plan.Fresh)
        {
            await events.RecordAsync(resource, EventRecorder.Warning, EventReasons.CaReplaced, message, ct);
        }
        return plan.Warned;
    }

    private async Task<(bool Repaired, IReadOnlyDictionary<string, IReadOnlyList<string>> Warned)> RepairIdentitiesAsync(
        HipaaMongoResource resource, MemberPods pods, MemberExpectations expected, MemberCredentials creds, List<MemberVerification> results,
        IReadOnlyDictionary<string, IReadOnlyList<string>> warned, CancellationToken ct)
    {
        var refused = results.SelectMany(r => r.RefusedIdentities.Select(i => (Pod: r.PodName, Refusal: i))).ToList();
        var announced = refused.Select(x => (Reason: x.Refusal.UserMissing ? EventReasons.OwnUserMissing : EventReasons.OwnIdentityRefused,
            Message: $"the {x.Refusal.Identity}'s user {x.Refusal.Subject} was refused on {x.Pod}: {x.Refusal.Reason}")).ToList();
        var plan = MemberWarnings.Plan(warned, "identity", [.. announced.Select(a => a.Message)]);
        foreach (var (reason, message) in announced.Where(a => plan.Fresh.Contains(a.Message)))
        {
            await events.RecordAsync(resource, EventRecorder.Warning, reason, message, ct);
        }
        var missing = refused.Where(x => x.Refusal.UserMissing).Select(x => x.Refusal.Subject).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return (false, plan.Warned);
        }
        var result = await bootstrap.EnsureBootstrappedAsync(new ReplicaSetTarget(expected.ReplicaSetName, pods.Targets), expected, creds, ct);
        var who = string.Join(", ", missing);
        if (result.State is BootstrapState.Bootstrapped or BootstrapState.AlreadyDone)
        {
            if (result.State == BootstrapState.Bootstrapped)
            {
                await events.RecordAsync(resource, EventRecorder.Normal, EventReasons.OwnUserRecreated, $"re-created the missing user {who}: {result.Message}", ct);
            }
            return (true, MemberWarnings.Plan(plan.Warned, "identity-repair", []).Warned);
        }
        // Waiting (no primary yet, a member unreachable) is retried by the next verification, which finds the user still
        // missing; only a refusal retrying cannot fix is a Warning of its own.
        var failed = MemberWarnings.Plan(plan.Warned, "identity-repair",
            result.State == BootstrapState.Failed ? [$"could not re-create the missing user {who}: {result.Message}"] : []);
        foreach (var message in failed.Fresh)
        {
            await events.RecordAsync(resource, EventRecorder.Warning, EventReasons.BootstrapFailed, message, ct);
        }
        return (true, failed.Warned);
    }
}
