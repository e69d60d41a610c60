using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.KeyManagement;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Members.Connection;
using HipaaMongo.Operator.Reconciliation.Evidence;
using HipaaMongo.Operator.Reconciliation.Status;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>
/// The member half of a pass (architecture.md step 5): when every pod is Ready and a verification is due, load the
/// credentials, bootstrap once (idempotent), verify every member through <see cref="IMemberActuator"/> (the edge reads,
/// the pure <see cref="MemberPlanner"/> decides, the edge runs the planned corrections), rotate
/// certificates a member still serves after cert-manager renewed them, and announce what changed as Events.
/// Everything it needs from earlier passes comes from the previous <see cref="PassRecord"/> and the status (read
/// from the cluster); the schedule is <see cref="VerificationSchedule"/>, the Warnings <see cref="MemberWarnings"/>.
/// </summary>
public sealed partial class MemberVerificationStep(
    IMemberVerifier verifier,
    IMemberActuator actuator,
    IBootstrapActuator bootstrap,
    CredentialsLoader credentials,
    KmipCredentialsLoader kmipCredentials,
    IKeyManagementProbe keyManagement,
    Ldap.IDirectoryProbe directory,
    Informer<HipaaMongoUserResource> users,
    EventRecorder events,
    ReconcilerOptions options,
    TimeProvider time,
    ILogger<MemberVerificationStep> logger)
{
    /// <summary>
    /// Runs the member step of a pass that started at <paramref name="now"/> (the pass's one clock reading), with the
    /// set's PHI access roster read from the users' cache whatever the verification did.
    /// </summary>
    public async Task<MemberStepResult> RunAsync(HipaaMongoResource resource, BaselineModel model, MemberPods pods, PassRecord last,
        DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var result = await VerifyAsync(resource, model, pods, last, now, ct);
        return result with { PhiAccess = PhiAccessRoster.For(resource, users.Cache.List(resource.Metadata.NamespaceProperty)) };
    }

    private async Task<MemberStepResult> VerifyAsync(HipaaMongoResource resource, BaselineModel model, MemberPods pods, PassRecord last,
        DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(last);
        var previous = Previous(last, model);
        var bootstrapped = Bootstrapped(resource, previous);
        // Bootstrap initiates the set with every member, so it waits for all to run (not to be Ready: readiness by the
        // member's state needs the set); afterwards the Ready ones are verified while the others are reported as not
        // read (Unknown), never left out of the evidence.
        if (bootstrapped ? pods.Targets.Count == 0 : !pods.AllRunning)
        {
            return new(new(VerificationState.PodsNotReady), previous, last.Warned);
        }
        var generation = resource.Metadata.Generation;
        if (!VerificationSchedule.IsDue(now, previous?.History, generation, pods.Signature, Interval(resource), options.ProveCorrectionDelay))
        {
            return new(new(VerificationState.NotDue), previous, last.Warned);
        }
        using var loaded = await credentials.LoadAsync(resource, ct);
        if (loaded.Credentials is not { } creds)
        {
            return new(new(VerificationState.Waiting, "waiting for certificates: " + loaded.Missing), previous, last.Warned);
        }
        var expected = MemberExpectationsFactory.For(model, SubjectName.Rfc2253(creds.Operator), SubjectName.Rfc2253(creds.Verifier)) with
        {
            DeclaredUsers = DeclaredAccounts.Users(resource, users.Cache.List(resource.Metadata.NamespaceProperty)),
            DeclaredRoles = DeclaredAccounts.Roles(resource),
        };
        var warned = await AnnounceCaAsync(resource, loaded.Ca, last.Warned, ct);
        if (!bootstrapped)
        {
            (var waiting, warned) = await BootstrapAsync(resource, pods, expected, creds, warned, ct);
            if (waiting is not null)
            {
                return new(new(VerificationState.Waiting, waiting), previous, warned);
            }
            if (!pods.AllReady)
            {
                // A pod is Ready only once the operator's readiness gate judged its member (docs/rollouts.md, "Probes"),
                // which needs the set this pass initiated: the first verification waits for it instead of reporting
                // every member as not read.
                return new(new(VerificationState.Waiting, "replica set initiated: waiting for every member's pod to be Ready"), previous, warned);
            }
        }
        else
        {
            warned = await EnsureRolesAsync(resource, pods, expected, creds, warned, ct);
        }
        // The members of one set are read at once (3 to 7 connections): a pass lasts as long as its slowest member.
        // The edge answers a member's behaviour with a result, never a throw; an exception is a bug and fails the pass.
        var results = new List<MemberVerification>(await Task.WhenAll(pods.Targets.Select(t => actuator.VerifyAsync(t, expected, creds, ct))));
        results.AddRange(NotReady(resource, pods, now));
        var probe = await ProbeKeyManagementAsync(resource, model, results, ct);
        results = WithKeyStates(results, probe);
        warned = await AnnounceKeyManagementAsync(resource, probe, warned, ct);
        var directoryProbe = model.Ldap is null ? null : await directory.ProbeAsync(resource.Metadata.NamespaceProperty, model.Ldap, ct);
        warned = await AnnounceDirectoryAsync(resource, directoryProbe, warned, ct);
        await AnnounceKeyChangesAsync(resource, results, ct);
        (var rotated, warned) = await RotateAsync(resource, pods, results, loaded, warned, ct);
        var caProbe = await LoadTrustAsync(resource, pods, results, loaded, ct);
        warned = await AnnounceAsync(resource, results, warned, ct);
        (var repaired, warned) = await RepairIdentitiesAsync(resource, pods, expected, creds, results, warned, ct);
        var history = new VerificationHistory(now, generation, pods.Signature, rotated || repaired || results.Any(r => r.Corrections.Count > 0))
        {
            Duration = time.GetUtcNow() - now,
        };
        LogVerified(logger, resource.Metadata.Name, results.Count(r => r.Reachable), results.Count);
        return new(new(VerificationState.Verified), new LastVerification(history, results), warned, probe, loaded.Ca)
        {
            CaProbe = caProbe,
            Directory = directoryProbe,
        };
    }

    // The previous pass's verification as stored, with the declared KMIP key id restored from its digest.
    private static LastVerification? Previous(PassRecord last, BaselineModel model) =>
        last.Verification is { } v
            ? v with { Members = PassRecordCodec.Restore(v.Members, DesiredFacts.For(model).Value("security.kmip.keyIdentifier") as string) }
            : null;

    // Declared members without a Ready pod: unreachable for this verification, in ordinal order after the read ones.
    private static IEnumerable<MemberVerification> NotReady(HipaaMongoResource resource, MemberPods pods, DateTimeOffset now) =>
        Enumerable.Range(0, resource.Spec.Members).Select(i => Names.Pod(resource.Metadata.Name, i))
            .Where(pod => pods.Targets.All(t => t.PodName != pod))
            .Select(pod => MemberVerification.Unreachable(pod, now, "its pod is not Ready"));

    /// <summary>
    /// The set is initiated: a member showed itself in a replica-set role (only an initiated set reports Primary or
    /// Secondary) in the last verification (the pass record) or in the stored status. Both are read from the cluster,
    /// so a restarted operator verifies the Ready members at once and never asks for a second bootstrap.
    /// </summary>
    public static bool Bootstrapped(HipaaMongoResource resource, LastVerification? last) => VerificationSchedule.Bootstrapped(resource, last);

    public static TimeSpan Interval(HipaaMongoResource resource) => VerificationSchedule.Interval(resource);

    // Returns why it must wait (null when the set is initiated with its users), and the Warnings announced.
    private async Task<(string? Waiting, IReadOnlyDictionary<string, IReadOnlyList<string>> Warned)> BootstrapAsync(HipaaMongoResource resource,
        MemberPods pods, MemberExpectations expected, MemberCredentials creds, IReadOnlyDictionary<string, IReadOnlyList<string>> warned,
        CancellationToken ct)
    {
        // Every running pod, Ready or not: readiness by member state comes only after replSetInitiate.
        var result = await bootstrap.EnsureBootstrappedAsync(new ReplicaSetTarget(expected.ReplicaSetName, pods.Running), expected, creds, ct);
        var failed = result.State == BootstrapState.Failed ? new[] { result.Message } : [];
        var plan = MemberWarnings.Plan(warned, "bootstrap", failed);
        foreach (var message in plan.Fresh)
        {
            await events.RecordAsync(resource, EventRecorder.Warning, EventReasons.BootstrapFailed, "bootstrap failed: " + message, ct);
        }
        switch (result.State)
        {
            case BootstrapState.Bootstrapped:
                await events.RecordAsync(resource, EventRecorder.Normal, EventReasons.ReplicaSetBootstrapped,
                    $"replica set {expected.ReplicaSetName} initiated with {pods.Running.Count} members: {result.Message}", ct);
                return (null, plan.Warned);
            case BootstrapState.AlreadyDone:
                return (null, plan.Warned);
            default:
                return ("bootstrap not done: " + result.Message, plan.Warned);
        }
    }

    // One Warning per directory outage (the warned key names the servers only, as for KMIP); it clears when a server
    // answers, so the next outage warns again. No member is restarted for it.
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> AnnounceDirectoryAsync(HipaaMongoResource resource,
        Ldap.DirectoryObservation? probe, IReadOnlyDictionary<string, IReadOnlyList<string>> warned, CancellationToken ct)
    {
        var outage = probe is { Reachable: false } ? new[] { "unreachable: " + string.Join(",", probe.Servers) } : [];
        var plan = MemberWarnings.Plan(warned, "ldap", outage);
        if (plan.Fresh.Count > 0)
        {
            await events.RecordAsync(resource, EventRecorder.Warning, EventReasons.LdapUnreachable, Ldap.DirectoryCondition.OutageMessage(probe!), ct);
        }
        return plan.Warned;
    }

    // A set bootstrapped by an older operator keeps the roles it was given: each verification brings them to the
    // render (updateRole), best effort: a set without a reachable primary is verified anyway and tried next time.
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> EnsureRolesAsync(HipaaMongoResource resource, MemberPods pods,
        MemberExpectations expected, MemberCredentials creds, IReadOnlyDictionary<string, IReadOnlyList<string>> warned, CancellationToken ct)
    {
        var result = await bootstrap.EnsureRolesAsync(new ReplicaSetTarget(expected.ReplicaSetName, pods.Targets), expected, creds, ct);
        var plan = MemberWarnings.Plan(warned, "roles", result.State == BootstrapState.Failed ? [result.Message] : []);
        foreach (var message in plan.Fresh)
        {
            await events.RecordAsync(resource, EventRecorder.Warning, EventReasons.MemberRolesUpdateFailed, "bringing the member roles to the render failed: " + message, ct);
        }
        if (result.State == BootstrapState.Bootstrapped)
        {
            await events.RecordAsync(resource, EventRecorder.Normal, EventReasons.MemberRolesUpdated, result.Message, ct);
        }
        return plan.Warned;
    }

    // cert-manager renewed the member Secret but the member still serves the old certificate: rotateCertificates.
    private async Task<(bool Rotated, IReadOnlyDictionary<string, IReadOnlyList<string>> Warned)> RotateAsync(HipaaMongoResource resource,
        MemberPods pods, List<MemberVerification> results, LoadedCredentials loaded, IReadOnlyDictionary<string, IReadOnlyList<string>> warned,
        CancellationToken ct)
    {
        var issued = loaded.MemberSecretNotAfter;
        var stale = results.Where(r => r.Reachable && r.TlsExpiry is { } served && issued is { } i && Math.Abs((served - i).TotalSeconds) >= 1).ToList();
        var failures = new List<string>();
        foreach (var member in stale)
        {
            var target = pods.Targets.First(t => t.PodName == member.PodName);
            var rotation = await verifier.RotateCertificatesAsync(target, loaded.Credentials!, ct);
            if (rotation.Rotated)
            {
                await events.RecordAsync(resource, EventRecorder.Normal, EventReasons.CertificateRotated,
                    $"rotated certificates on {member.PodName}: it served one expiring {Time(member.TlsExpiry)}, the Secret holds one expiring {Time(issued)}", ct);
            }
            else
            {
                failures.Add($"could not rotate certificates on {member.PodName}: {rotation.Error ?? "no reason given"}");
            }
        }
        var plan = MemberWarnings.Plan(warned, "rotate", failures);
        foreach (var message in plan.Fresh)
        {
            await events.RecordAsync(resource, EventRecorder.Warning, EventReasons.CertificateRotationFailed, message, ct);
        }
        return (stale.Count > 0, plan.Warned);
    }

    // One Event per correction applied (the recorder aggregates repeats); a Warning per other problem, once per state.
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> AnnounceAsync(HipaaMongoResource resource,
        List<MemberVerification> results, IReadOnlyDictionary<string, IReadOnlyList<string>> warned, CancellationToken ct)
    {
        foreach (var (pod, c) in results.SelectMany(r => r.Corrections.Where(c => c.Applied).Select(c => (r.PodName, c))))
        {
            // An LDAP group role that does not exist yet (a new mapping, or dropped out of band) is created: Normal,
            // as its absence may be the first verification's; one that was changed is put back like any setting.
            if (c.Setting.StartsWith(LdapGroupRoles.SettingPrefix, StringComparison.Ordinal) && c.Found == LdapGroupRoles.Absent)
            {
                await events.RecordAsync(resource, EventRecorder.Normal, EventReasons.LdapGroupRoleCreated,
                    $"created {c.Setting} in {LdapGroupRoles.Database} ({c.Desired}, as spec.ldap.groupRoleMappings declares) on {pod}", ct);
                continue;
            }
            await events.RecordAsync(resource, EventRecorder.Warning, EventReasons.RuntimeSettingReverted,
                $"reverted: {c.Setting} was {c.Found}, set to {c.Desired} on {pod}", ct);
        }
        var problems = results.SelectMany(Problems).ToList();
        var plan = MemberWarnings.Plan(warned, "verify", [.. problems.Select(p => p.Message)]);
        foreach (var (reason, message) in problems.Where(p => plan.Fresh.Contains(p.Message)))
        {
            await events.RecordAsync(resource, EventRecorder.Warning, reason, message, ct);
        }
        return plan.Warned;
    }

    private static IEnumerable<(string Reason, string Message)> Problems(MemberVerification r)
    {
        if (!r.Reachable || r.Failure is not null)
        {
            yield return (EventReasons.VerificationFailed, $"could not verify {r.PodName}: {r.Failure ?? "unreachable"}");
        }
        foreach (var c in r.Corrections.Where(c => !c.Applied))
        {
            yield return (EventReasons.RuntimeCorrectionFailed,
                $"could not revert {c.Setting} on {r.PodName}: found {c.Found}, desired {c.Desired}{(c.Error is null ? "" : $" ({c.Error})")}");
        }
        foreach (var u in r.Uncorrectable)
        {
            yield return (EventReasons.UncorrectableDrift, $"{u} on {r.PodName}: not correctable at runtime");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "verified {Name}: {Reachable} of {Members} members reached")]
    private static partial void LogVerified(ILogger logger, string name, int reachable, int members);

    private static string Time(DateTimeOffset? at) => at is { } t ? Compliance.Checks.Evidence.Time(t) : "unknown";
}
