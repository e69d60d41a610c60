using System.Net;
using System.Text.Json.Nodes;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Rollout;
using HipaaMongo.Operator.Reconciliation.Scaling;
using HipaaMongo.Operator.Reconciliation.Verification;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Reconciliation.Rolling;

/// <summary>Whether a member pod's readiness gate is not True after this pass (the next pass comes soon then).</summary>
public sealed record ReadinessGateResult(bool Pending)
{
    public static ReadinessGateResult Idle { get; } = new(false);
}

/// <summary>
/// The readiness-gate step of a pass (rollouts.md, "Probes"): member pods declare the readiness gate
/// <see cref="StatefulSetRenderer.MemberReadyGate"/>, so the kubelet reports a pod Ready only when its containers are
/// ready and that condition is True. This step reads the primary's replSetGetConfig and replSetGetStatus (from any
/// running member pod: readiness is what it decides), judges each member as the rollout does
/// (<see cref="MemberReadiness"/>, pure) and writes the condition through pods/status where it differs. It deletes
/// nothing and runs no command on a member but the two reads.
/// </summary>
public sealed partial class ReadinessGateStep(
    IReplicaSetEdge edge,
    CredentialsLoader credentials,
    IKubernetes client,
    ReconcilerOptions options,
    ILogger<ReadinessGateStep> logger)
{
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(10);

    public async Task<ReadinessGateResult> RunAsync(PassObservation observed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var resource = observed.Resource;
        var (ns, name) = (resource.Metadata.NamespaceProperty, resource.Metadata.Name);
        // Only pods whose containers run: a pod still Pending has nothing to judge (and its kubelet is writing it).
        var gated = (observed.MemberPodObjects ?? []).Where(p => Gated(p) && p.Status?.Phase == "Running" && p.Metadata.DeletionTimestamp is null).ToList();
        // Not gated on the verification's "bootstrapped": that needs a verified member, which needs a Ready pod, which
        // needs this step. Before replSetInitiate no member answers as primary, and nothing is judged.
        if (edge is UnavailableReplicaSetEdge || gated.Count == 0 || observed.Pods.Running.Count == 0)
        {
            return ReadinessGateResult.Idle;
        }
        using var loaded = await credentials.LoadAsync(resource, ct);
        if (loaded.Credentials is not { } creds)
        {
            return new(true);
        }
        // The member the status last named primary first, alone: the read then touches no other member (a hung one
        // would hold a connection); only when it is not (or no longer answers as) the primary are all running members
        // asked. Each read is bounded on its own: a member that accepts connections and answers nothing (hung) must not
        // hold up the pass, nor use up the other read's time.
        var last = resource.Status?.Members?.FirstOrDefault(m => m.Role == Entities.MemberRole.Primary)?.Name;
        var known = observed.Pods.Running.Where(t => t.PodName == last).ToList();
        var read = known.Count == 1 ? await BoundedReadAsync(known, creds, ct) : ReplicaSetRead.Failed("no primary known");
        if (read.Failure is not null)
        {
            read = await BoundedReadAsync(observed.Pods.Running, creds, ct);
        }
        var hosts = Enumerable.Range(0, ScaleGate.MaxMembers).Select(i => MemberPods.AdvertisedHost(ns, name, i)).ToList();
        var set = read.Failure is null
            ? ScaleReading.Observe(read.GetConfig!, read.GetStatus!, hosts, resource.Spec.Members, options.LagBoundSeconds)
            : null;
        if (set is null)
        {
            return new(gated.Any(p => Current(p) != "True")); // no primary to judge against: conditions stay as they are
        }
        var o = RolloutReading.Observe(observed.StatefulSet, gated, ns, name, resource.Spec.Members, set, options.RolloutHealthBound, observed.Now,
            options.RolloutClockSkew);
        var verdicts = MemberReadiness.Judge(o);
        var byName = gated.ToDictionary(p => p.Metadata.Name);
        foreach (var verdict in MemberReadiness.Changes(verdicts, byName.ToDictionary(p => p.Key, p => Current(p.Value))))
        {
            await WriteAsync(ns, verdict, observed.Now, ct);
        }
        return new(verdicts.Any(v => !v.Ready) || gated.Count > verdicts.Count);
    }

    private async Task<ReplicaSetRead> BoundedReadAsync(IReadOnlyList<MemberTarget> members, MemberCredentials creds, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(ReadBound);
        try
        {
            return await edge.ReadAsync(members, creds, bounded.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ReplicaSetRead.Failed($"no primary read within {ReadBound.TotalSeconds:F0} s");
        }
    }

    private static bool Gated(V1Pod pod) =>
        pod.Spec?.ReadinessGates?.Any(g => g.ConditionType == StatefulSetRenderer.MemberReadyGate) == true;

    private static string? Current(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == StatefulSetRenderer.MemberReadyGate)?.Status;

    // A strategic merge patch of pods/status: conditions merge by type, so only the gate's condition changes. The pod is
    // read first (a pass can last longer than its cache snapshot stays current): one created again under the same name
    // since it was judged (another uid) is left to the next pass, and the resourceVersion read is the patch's
    // precondition, so a pod replaced in between refuses it with 409.
    private async Task WriteAsync(string ns, GateVerdict verdict, DateTimeOffset now, CancellationToken ct)
    {
        V1Pod current;
        try
        {
            current = await client.CoreV1.ReadNamespacedPodAsync(verdict.Pod, ns, cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }
        if (current.Metadata.Uid != verdict.Uid || current.Metadata.DeletionTimestamp is not null)
        {
            return;
        }
        var resourceVersion = current.Metadata.ResourceVersion;
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = StatefulSetRenderer.MemberReadyGate,
                    ["status"] = verdict.Status,
                    ["reason"] = verdict.Reason,
                    ["message"] = verdict.Message,
                    ["lastTransitionTime"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                }),
            },
        };
        try
        {
            await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch),
                verdict.Pod, ns, fieldManager: Apply.ObjectWriter.FieldManager, cancellationToken: ct);
            LogGate(logger, verdict.Pod, verdict.Status, verdict.Message);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // gone or replaced since it was read: the next pass judges the new pod
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "readiness gate of {Pod}: {Status} ({Message})")]
    private static partial void LogGate(ILogger logger, string pod, string status, string message);
}
