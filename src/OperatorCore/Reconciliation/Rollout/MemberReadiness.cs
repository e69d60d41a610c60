namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>
/// The operator's verdict on one member pod for its readiness gate: the condition's status (True when the member
/// serves and is caught up), reason and message.
/// </summary>
public sealed record GateVerdict(string Pod, string? Uid, bool Ready, string Reason, string Message)
{
    public string Status => Ready ? "True" : "False";
}

/// <summary>
/// Pure: whether each member pod's readiness gate should be True, judged as the rollout judges a member
/// (<see cref="RolloutPlanner.Unhealthy"/>): PRIMARY, or SECONDARY, healthy, within the lag bound and heard from the
/// pod's current process. Without a primary nothing is judged (lag has no reference), so conditions stay as they are;
/// a pod being deleted is left alone.
/// </summary>
public static class MemberReadiness
{
    public const string ServingReason = "MemberServing";
    public const string NotServingReason = "MemberNotServing";

    public static IReadOnlyList<GateVerdict> Judge(RolloutObservation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Status.FirstOrDefault(m => m.IsPrimary) is not { } primary)
        {
            return [];
        }
        return
        [
            .. o.Pods.Where(p => !p.Terminating).OrderBy(p => p.Ordinal).Select(pod => RolloutPlanner.Unhealthy(o, pod, primary) is { } why
                ? new GateVerdict(pod.Name, pod.Uid, false, NotServingReason, $"{pod.Name}: {why}")
                : new GateVerdict(pod.Name, pod.Uid, true, ServingReason,
                    $"{pod.Name} is {State(o, pod)} within {o.LagBoundSeconds}s of the primary")),
        ];
    }

    /// <summary>The verdicts whose status differs from the pod's current condition (or that it lacks): the ones to write.</summary>
    public static IReadOnlyList<GateVerdict> Changes(IReadOnlyList<GateVerdict> verdicts, IReadOnlyDictionary<string, string?> current)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(current);
        return [.. verdicts.Where(v => !current.TryGetValue(v.Pod, out var status) || status != v.Status)];
    }

    private static string State(RolloutObservation o, RolloutPod pod) =>
        o.Status.FirstOrDefault(m => string.Equals(m.Host, pod.Host, StringComparison.OrdinalIgnoreCase))?.State ?? "unknown";
}
