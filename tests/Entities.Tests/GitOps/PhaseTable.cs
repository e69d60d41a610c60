using HipaaMongo.Entities.Status;

namespace HipaaMongo.Entities.Tests.GitOps;

/// <summary>One phase of a HipaaMongo's life and what each GitOps tool must conclude from it.</summary>
/// <param name="Divergence">Null when the tools agree; otherwise the documented rule that makes them differ.</param>
public sealed record Phase(
    string Fixture,
    ReconcileStatus KStatus,
    string KStatusMessage,
    string Argo,
    string ArgoMessage,
    string? Divergence = null);

/// <summary>
/// Expected results, written from the rules (ecosystem-conventions.md sections 2 and 3, fluxcd/cli-utils kstatus,
/// config/argocd/README.md), never from either implementation's output.
/// </summary>
internal static class PhaseTable
{
    public static IReadOnlyList<Phase> All { get; } =
    [
        // kstatus rule 6: no conditions and no observedGeneration -> Current. Argo waits for a status instead.
        new("01-created", ReconcileStatus.Current, "Resource is current",
            "Progressing", "Waiting for the operator to write status",
            Divergence: "kstatus treats an empty status as Current (rule 6); the operator narrows the window by writing status at once"),
        // Reconciling=True -> InProgress; the message is the condition's.
        new("02-first-status", ReconcileStatus.InProgress, "Creating the replica set (0/3 members)",
            "Progressing", "Creating the replica set (0/3 members)"),
        new("03-rolling", ReconcileStatus.InProgress, "Rolling members to 8.0.4: 1/3 updated",
            "Progressing", "Rolling members to 8.0.4: 1/3 updated"),
        // Stalled=True -> Failed / Degraded.
        new("04-stalled-invalid-spec", ReconcileStatus.Failed, "Secret kmip-server-ca has no key ca.crt (spec.encryption.kmip.serverCaSecretRef)",
            "Degraded", "Secret kmip-server-ca has no key ca.crt (spec.encryption.kmip.serverCaSecretRef)"),
        // Ready=True with observedGeneration current -> Current / Healthy.
        new("05-ready-compliant", ReconcileStatus.Current, "Resource is Ready",
            "Healthy", "3/3 members verified; 14/14 controls passed"),
        // A False safeguard: kstatus ignores condition types other than Reconciling, Stalled and Ready.
        new("06-ready-safeguard-false", ReconcileStatus.Current, "Resource is Ready",
            "Degraded", "Safeguard NetworkIsolated is False: NetworkPolicy phi-db-default-deny is missing; members are reachable from any pod",
            Divergence: "kstatus reads only Reconciling, Stalled and Ready; Argo CD also shows a compliance breach"),
        // generation 3, observedGeneration 2 -> InProgress whatever the conditions say.
        new("07-stale-generation", ReconcileStatus.InProgress, "HipaaMongo generation is 3, but latest observed generation is 2",
            "Progressing", "Waiting for the operator to observe generation 3"),
        // deletionTimestamp -> Terminating; Argo CD itself reports Progressing for objects being deleted.
        new("08-terminating", ReconcileStatus.Terminating, "Resource scheduled for deletion",
            "Progressing", "HipaaMongo is being deleted"),
        // Ready=False with a reason a retry can fix -> InProgress, never Failed.
        new("09-not-ready-retrying", ReconcileStatus.InProgress, "KMIP server kmip.security.svc.cluster.local:5696 unreachable; retrying",
            "Progressing", "KMIP server kmip.security.svc.cluster.local:5696 unreachable; retrying"),
    ];

    /// <summary>The Argo CD status that means the same as a kstatus status.</summary>
    public static string ArgoEquivalent(ReconcileStatus status) => status switch
    {
        ReconcileStatus.Current => "Healthy",
        ReconcileStatus.InProgress => "Progressing",
        ReconcileStatus.Failed => "Degraded",
        ReconcileStatus.Terminating => "Progressing",
        ReconcileStatus.NotFound => "Missing",
        _ => "Unknown",
    };

    public static Phase Row(string fixture) => All.Single(p => p.Fixture == fixture);

    public static TheoryData<string> Names() => [.. All.Select(p => p.Fixture)];
}
