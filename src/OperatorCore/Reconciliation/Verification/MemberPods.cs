using System.Globalization;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>
/// The members as their Pods show them: one <see cref="MemberTarget"/> per Ready pod in ordinal order (verified),
/// whether every declared member's pod is Ready with an IP, the pods that run with an IP whatever their readiness
/// (<see cref="Running"/>, which bootstrap initiates), and a signature that changes when the pod set does (which makes a
/// verification due). Bootstrap cannot wait for readiness: with readiness by the member's replica-set state
/// (docs/rollouts.md, "Probes") no pod is Ready before replSetInitiate.
/// </summary>
public sealed record MemberPods(IReadOnlyList<MemberTarget> Targets, int ReadyCount, bool AllReady, string Signature)
{
    /// <summary>The pods whose containers run with an IP (phase Running, not being deleted), Ready or not, in ordinal order.</summary>
    public IReadOnlyList<MemberTarget> Running { get; init; } = [];

    /// <summary>Every declared member's pod runs with an IP (what bootstrap waits for).</summary>
    public bool AllRunning { get; init; }

    /// <summary>Pure: the pods of <paramref name="name"/>'s StatefulSet among <paramref name="pods"/>.</summary>
    public static MemberPods From(string @namespace, string name, int declared, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var ours = pods.Where(p => p.Metadata?.NamespaceProperty == @namespace && IsMember(p, name))
            .OrderBy(p => Ordinal(p.Metadata.Name, name)).ToList();
        var ready = ours.Where(IsReady).ToList();
        var running = ours.Where(IsRunning).ToList();
        var targets = ready.Select(p => Target(p, @namespace, name)).ToList();
        var signature = string.Join(";", ours.Select(p => $"{p.Metadata.Name}/{p.Metadata.Uid}/{p.Status?.PodIP}/{IsReady(p)}"));
        return new MemberPods(targets, ready.Count, ready.Count == declared && ours.Count == declared, signature)
        {
            Running = [.. running.Select(p => Target(p, @namespace, name))],
            AllRunning = running.Count == declared && ours.Count == declared,
        };
    }

    /// <summary>Maps a pod event to the HipaaMongo whose StatefulSet runs it (by the selector labels).</summary>
    public static IEnumerable<ObjectKey> Owner(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var labels = pod.Metadata?.Labels;
        if (labels is null || !labels.TryGetValue(Labels.InstanceKey, out var instance) || !IsMember(pod, instance))
        {
            return [];
        }
        return [new ObjectKey(pod.Metadata!.NamespaceProperty, instance)];
    }

    private static bool IsMember(V1Pod pod, string name)
    {
        var labels = pod.Metadata?.Labels;
        return labels is not null && Labels.Selector(name).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);
    }

    private static bool IsReady(V1Pod pod) =>
        IsRunning(pod) && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    // Phase Running: every init container succeeded and the mongod container started (kubelet's getPhase); its process
    // may not answer yet (a refused start shows as a restarting container, which the verification reports).
    private static bool IsRunning(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is null
        && !string.IsNullOrEmpty(pod.Status?.PodIP)
        && pod.Status.Phase == "Running";

    /// <summary>The host:port ordinal <paramref name="ordinal"/> is known by in the replica-set config (as bootstrap names it).</summary>
    public static string AdvertisedHost(string @namespace, string name, int ordinal) =>
        $"{Names.Pod(name, ordinal)}.{Names.HeadlessService(name)}.{@namespace}.svc.cluster.local:{MountPaths.MongodPort}";

    // The DNS name a StatefulSet pod gets from its headless Service: hostname.subdomain.namespace.svc.cluster.local.
    private static MemberTarget Target(V1Pod pod, string @namespace, string name)
    {
        var host = string.IsNullOrEmpty(pod.Spec?.Hostname) ? pod.Metadata.Name : pod.Spec.Hostname;
        var subdomain = string.IsNullOrEmpty(pod.Spec?.Subdomain) ? Names.HeadlessService(name) : pod.Spec.Subdomain;
        return new MemberTarget(pod.Metadata.Name, pod.Status.PodIP, MountPaths.MongodPort,
            $"{host}.{subdomain}.{@namespace}.svc.cluster.local");
    }

    private static int Ordinal(string podName, string name) =>
        podName.Length > name.Length + 1
        && int.TryParse(podName.AsSpan(name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : int.MaxValue;
}
