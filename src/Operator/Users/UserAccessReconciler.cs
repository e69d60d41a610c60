using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.ControllerRuntime.Reconcile;
using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Users.Credentials;
using HipaaMongo.Operator.Users.Edge;
using HipaaMongo.Operator.Users.Journal;
using HipaaMongo.Operator.Users.Planning;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Users;

/// <summary>
/// The one place that orchestrates a HipaaMongoUser: read it and its HipaaMongo from the caches, apply policy,
/// observe users and roles on the primary, plan (pure), run the plan, store a new credential, announce each change
/// as an Event, write status only when it changed, and come back for the next rotation, grace period, break-glass
/// expiry or drift check.
/// </summary>
public sealed partial class UserAccessReconciler(
    Informer<HipaaMongoUserResource> users,
    Informer<HipaaMongoResource> clusters,
    OwnedCaches caches,
    CredentialsLoader credentials,
    IUserAccessEdge edge,
    UserCredentialStore store,
    AccessJournalStore journal,
    UserStatusWriter writer,
    EventRecorder events,
    TimeProvider time,
    ILogger<UserAccessReconciler> logger) : IReconciler<HipaaMongoUserResource>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var user = users.Cache.Get(key);
        if (user is null) return ReconcileResult.Done;
        var deleting = Finalizers.IsBeingDeleted(user.Metadata);
        if (deleting && !Finalizers.Has(user.Metadata, UserStatusWriter.Finalizer)) return ReconcileResult.Done;
        if (!deleting && !Finalizers.Has(user.Metadata, UserStatusWriter.Finalizer))
        {
            await writer.SetFinalizersAsync(user, [.. user.Metadata.Finalizers ?? [], UserStatusWriter.Finalizer], cancellationToken);
            return ReconcileResult.Done; // the update wakes the next pass with the new resourceVersion
        }

        if (!deleting && HipaaMongoUserValidator.Validate(user, null) is { Count: > 0 } errors)
            return await StallAsync(user, ConditionReasons.SpecInvalid, string.Join("; ", errors), cancellationToken);
        var cluster = clusters.Cache.Get(new ObjectKey(user.Metadata.NamespaceProperty, user.Spec.HipaaMongoRef.Name));
        if (cluster is null)
            return deleting ? await ReleaseAsync(user, cancellationToken)
                : await WaitAsync(user, "ClusterNotFound", $"HipaaMongo {user.Spec.HipaaMongoRef.Name} does not exist in this namespace", cancellationToken);
        var now = time.GetUtcNow();
        var decision = deleting ? UserPolicyDecision.Refuse("Deleting", "deleting") : UserPolicy.Decide(user.Spec, cluster.Spec, now);
        if (!deleting && decision.Refusal is { } refusal)
            return await StallAsync(user, decision.RefusalReason!, refusal, cancellationToken);
        return await ReconcileWithMembersAsync(user, cluster, decision, deleting, now, cancellationToken);
    }

    private async Task<ReconcileResult> ReconcileWithMembersAsync(HipaaMongoUserResource user, HipaaMongoResource cluster,
        UserPolicyDecision decision, bool deleting, DateTimeOffset now, CancellationToken ct)
    {
        var ns = user.Metadata.NamespaceProperty;
        var pods = MemberPods.From(ns, cluster.Metadata.Name, cluster.Spec.Members, caches.Pods.List(ns));
        if (pods.Targets.Count == 0)
            return await WaitAsync(user, "MembersNotReady", $"no member of {cluster.Metadata.Name} is running yet", ct);
        using var loaded = await credentials.LoadAsync(cluster, ct);
        if (loaded.Credentials is not { } creds)
            return await WaitAsync(user, "MembersNotReady", $"the operator's certificates are not ready: {loaded.Missing}", ct);
        var target = new ReplicaSetTarget(cluster.Metadata.Name, pods.Targets);
        var identity = UserIdentity.For(user);
        var declaredRoles = (cluster.Spec.Roles ?? []).Select(RolePlanner.FromSpec).ToList();
        var observed = await edge.ObserveAsync(target, creds, [identity.Db], [.. declaredRoles.Select(r => r.Name.Db).Distinct()], ct);
        if (observed.Failure is { } unreachable)
            return await WaitAsync(user, "MembersUnreachable", unreachable, ct);

        var (external, externalVersion) = !deleting && user.Spec.Authentication.PasswordSecretRef is not null && identity.WithPassword
            ? await store.ExternalPasswordAsync(user, ct) : (null, null);
        var plan = UserPlanner.Plan(new UserPlanInput(identity, user.Spec, user.Status,
            RotateRequest(user), deleting, decision, observed.Users, now, externalVersion));
        var password = plan.Creation is { WithPassword: true } && identity.Versioned ? PasswordGenerator.Generate() : external;
        if (plan.Creation is { WithPassword: true } && password is null)
            return await WaitAsync(user, "PasswordSecretMissing", $"Secret key {user.Spec.Authentication.PasswordSecretRef?.Name}/{user.Spec.Authentication.PasswordSecretRef?.Key} is absent or empty", ct);
        if (!deleting && plan.Creation is not null && WritesSecret(user) && await store.ForeignSecretAsync(user, ct) is { } foreign)
            return await StallAsync(user, UserEvents.SecretNotOwned, foreign, ct, UserEvents.SecretNotOwned, DriftInterval);
        IReadOnlyList<AccessOp> ops = [.. deleting ? [] : RolePlanner.Plan(declaredRoles, observed.Roles), .. plan.Ops];
        var outcomes = await edge.ApplyAsync(target, creds, ops, _ => password, ct);
        await AnnounceAsync(user, decision, outcomes, ct);
        await JournalAsync(user, cluster, outcomes, now, ct);
        var failure = outcomes.FirstOrDefault(o => o.Error is not null);
        if (deleting)
            return failure is null ? await ReleaseAsync(user, ct) : ReconcileResult.RequeueAfter(Wait);
        if (failure is null && plan.Creation is not null)
            await StoreCredentialAsync(user, cluster, target, plan, password, ct);
        return await ReportAsync(user, cluster, plan, failure, now, ct);
    }

    private async Task StoreCredentialAsync(HipaaMongoUserResource user, HipaaMongoResource cluster, ReplicaSetTarget target, UserPlan plan,
        string? password, CancellationToken ct)
    {
        var hosts = target.Members.Select(m => m.AdvertisedHost).ToList();
        var x509 = UserIdentity.For(user) is { Db: "$external" };
        await store.EnsureCertificateAsync(user, cluster, user.Spec.Username ?? user.Metadata.Name,
            x509 ? ConnectionString.X509(hosts, target.ReplicaSetName) : null, ct);
        if (!WritesSecret(user)) return; // x.509, or externally managed: never written
        var ca = await store.CaPemAsync(user.Metadata.NamespaceProperty, cluster.Metadata.Name, ct) ?? "";
        await store.WriteScramAsync(user, plan.Username!, password!, ConnectionString.Scram(hosts, target.ReplicaSetName, plan.Username!, password!), ca, ct);
    }

    private async Task AnnounceAsync(HipaaMongoUserResource user, UserPolicyDecision decision, IReadOnlyList<OpOutcome> outcomes, CancellationToken ct)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome.Error is { } error)
            {
                await events.RecordAsync(user, EventRecorder.Warning, UserEvents.AccessChangeFailed, $"{outcome.Op.Describe()} failed: {error}", cancellationToken: ct);
                continue;
            }

            var (warning, reason) = UserEvents.For(outcome.Op, decision);
            await events.RecordAsync(user, warning ? EventRecorder.Warning : EventRecorder.Normal, reason,
                UserEvents.Message(outcome.Op, decision, user.Spec.BreakGlass?.Reason), cancellationToken: ct);
            LogChange(logger, user.Metadata.NamespaceProperty, user.Metadata.Name, outcome.Op.Describe());
        }
    }

    /// <summary>
    /// Records each applied change in the access journal with its requester. A journal that cannot be written is a
    /// Warning Event (the change itself is done and announced), never a failed pass that would repeat the change.
    /// </summary>
    private async Task JournalAsync(HipaaMongoUserResource user, HipaaMongoResource cluster, IReadOnlyList<OpOutcome> outcomes, DateTimeOffset now,
        CancellationToken ct)
    {
        var entries = AccessJournal.Entries(user, cluster, outcomes.Where(o => o.Error is null).Select(o => o.Op), now);
        try
        {
            await journal.AppendAsync(cluster, user, entries, ct);
        }
        catch (k8s.Autorest.HttpOperationException ex)
        {
            await events.RecordAsync(user, EventRecorder.Warning, UserEvents.AccessJournalFailed,
                $"{entries.Count} access change(s) not recorded in ConfigMap {AccessJournalStore.ConfigMapName(cluster.Metadata.Name)}: HTTP {(int?)ex.Response?.StatusCode}",
                cancellationToken: ct);
        }
    }

    private async Task<ReconcileResult> ReportAsync(HipaaMongoUserResource user, HipaaMongoResource cluster, UserPlan plan, OpOutcome? failure,
        DateTimeOffset now, CancellationToken ct)
    {
        var status = failure is null
            ? UserStatusPlanner.Applied(user, plan, now.UtcDateTime, cluster.Spec)
            : UserStatusPlanner.NotReady(user, UserEvents.AccessChangeFailed, $"{failure.Op.Describe()} failed: {failure.Error}", now.UtcDateTime);
        if (UserStatusPlanner.Changed(user.Status, status))
            await writer.PatchAsync(user, status, ct);
        if (failure is not null) return ReconcileResult.RequeueAfter(Wait);
        var next = plan.NextCheck is { } at && at - now < DriftInterval ? at - now : DriftInterval;
        return ReconcileResult.RequeueAfter(next > TimeSpan.Zero ? next + TimeSpan.FromMilliseconds(50) : TimeSpan.FromMilliseconds(50));
    }

    /// <summary>A SCRAM user with a generated password: the operator writes its Secret.</summary>
    private static bool WritesSecret(HipaaMongoUserResource user) =>
        UserIdentity.For(user) is not { Db: "$external" } && user.Spec.Authentication.PasswordSecretRef is null;

    private static string? RotateRequest(HipaaMongoUserResource user) =>
        user.Metadata.Annotations is { } a && a.TryGetValue(UserApiGroup.RotateAnnotation, out var v) ? v : null;

    /// <summary>How often users and roles are read back to find out-of-band changes.</summary>
    public static TimeSpan DriftInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Stalled with one Warning Event (only when the status changes, so a repeated pass adds none). A spec edit wakes
    /// the next pass; <paramref name="recheck"/> is for a refusal that a change elsewhere may lift, which no watch sees.
    /// </summary>
    private async Task<ReconcileResult> StallAsync(HipaaMongoUserResource user, string reason, string message, CancellationToken ct,
        string eventReason = UserEvents.PolicyRefused, TimeSpan? recheck = null)
    {
        var status = UserStatusPlanner.Stalled(user, reason, message, time.GetUtcNow().UtcDateTime);
        if (UserStatusPlanner.Changed(user.Status, status))
        {
            await writer.PatchAsync(user, status, ct);
            await events.RecordAsync(user, EventRecorder.Warning, eventReason, message, cancellationToken: ct);
        }

        return recheck is { } after ? ReconcileResult.RequeueAfter(after) : ReconcileResult.Done;
    }

    private async Task<ReconcileResult> WaitAsync(HipaaMongoUserResource user, string reason, string message, CancellationToken ct)
    {
        var status = UserStatusPlanner.NotReady(user, reason, message, time.GetUtcNow().UtcDateTime);
        if (UserStatusPlanner.Changed(user.Status, status))
            await writer.PatchAsync(user, status, ct);
        return ReconcileResult.RequeueAfter(Wait);
    }

    private async Task<ReconcileResult> ReleaseAsync(HipaaMongoUserResource user, CancellationToken ct)
    {
        if (user.Spec.ReclaimPolicy == UserReclaimPolicy.Retain && user.Status?.Username is { } kept)
            await events.RecordAsync(user, EventRecorder.Normal, "UserRetained",
                $"user {kept} stays in the database (reclaimPolicy Retain) and is reported as undeclared from now on", cancellationToken: ct);
        await writer.SetFinalizersAsync(user, [.. (user.Metadata.Finalizers ?? []).Where(f => f != UserStatusWriter.Finalizer)], ct);
        return ReconcileResult.Done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HipaaMongoUser {Namespace}/{Name}: {Change}")]
    private static partial void LogChange(ILogger logger, string Namespace, string Name, string Change);
}
