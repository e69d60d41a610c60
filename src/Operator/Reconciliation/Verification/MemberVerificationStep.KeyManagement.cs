using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.KeyManagement;
using HipaaMongo.Operator.Members;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>
/// The key-management half of a verification: after the members are read, the operator asks the KMIP server itself
/// for the state of each key id the members report (never a write, never a restart), so key custody rests on two
/// observations; an outage becomes the KeyManagementReachable condition and one Warning Event.
/// </summary>
public sealed partial class MemberVerificationStep
{
    private async Task<KeyManagementObservation> ProbeKeyManagementAsync(HipaaMongoResource resource, BaselineModel model,
        List<MemberVerification> results, CancellationToken ct)
    {
        var keyIds = results.Select(r => r.Parameters?.KmipKeyId).OfType<string>().Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var (credentials, missing) = await kmipCredentials.LoadAsync(resource.Metadata.NamespaceProperty, resource.Metadata.Name, model.Kmip, ct);
        return await keyManagement.ProbeAsync(model.Kmip, credentials, missing, keyIds, ct);
    }

    /// <summary>Each member's reported key gets the state the KMIP server gave it (null when the server was not read).</summary>
    public static List<MemberVerification> WithKeyStates(List<MemberVerification> results, KeyManagementObservation probe)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(probe);
        return [.. results.Select(r => r.Parameters is { KmipKeyId: { Length: > 0 } id } p
            ? r with { Parameters = p with { KmipKeyState = probe.StateOf(id) } }
            : r)];
    }

    // One Warning per outage: the warned key names the servers only (the reason may vary between passes); it clears
    // when a server answers, so the next outage warns again.
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> AnnounceKeyManagementAsync(HipaaMongoResource resource,
        KeyManagementObservation probe, IReadOnlyDictionary<string, IReadOnlyList<string>> warned, CancellationToken ct)
    {
        var outage = probe.Reachable ? [] : new[] { "unreachable: " + string.Join(",", probe.Servers) };
        var plan = MemberWarnings.Plan(warned, "kmip", outage);
        if (plan.Fresh.Count > 0)
        {
            await events.RecordAsync(resource, EventRecorder.Warning, EventReasons.KmipUnreachable, KeyManagementCondition.OutageMessage(probe), ct);
        }
        return plan.Warned;
    }

    // A member on another key than the status recorded: one Normal Event per change, naming both ids (the status
    // written by this pass records the new one, so the next pass does not announce it again).
    private async Task AnnounceKeyChangesAsync(HipaaMongoResource resource, List<MemberVerification> results, CancellationToken ct)
    {
        foreach (var change in MasterKeyChanges.Between(resource.Status?.Members, results))
        {
            await events.RecordAsync(resource, EventRecorder.Normal, EventReasons.MasterKeyRotated, change.Message, ct);
        }
    }
}
