namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>
/// A pod-template change rolled one member at a time, pure (observation in, one action out; docs/rollouts.md).
/// The StatefulSet uses updateStrategy OnDelete, so its controller replaces a pod only when someone deletes it, and
/// then at the update revision; this planner chooses which pod, if any:
/// <list type="number">
/// <item>Nothing while the StatefulSet controller has not observed the template, while a member pod is missing or
/// being deleted (by this rollout or by anyone else: it is waited for, never a reason to touch another), or while
/// the set has no primary.</item>
/// <item>A member at the update revision that is not SECONDARY/PRIMARY within the lag bound longer than the health
/// bound after its pod was created, or whose process exited with an error (e.g. mongod refusing to start because no
/// KMIP server answers), halts the rollout, with the pod's own reason.</item>
/// <item>An outdated member whose pod is itself failing (not Ready, not serving) while every other member is healthy
/// is replaced: it takes no serving member down (this is how a spec fix resumes a halted rollout).</item>
/// <item>Any other unhealthy or lagging member: wait. So the next member goes only when the previous one is
/// SECONDARY, healthy and within the lag bound, and no action takes down a second voting member.</item>
/// <item>Outdated secondaries first, highest ordinal first; the primary last, after replSetStepDown to a caught-up
/// secondary (the stepped-down member is then an outdated secondary like the others).</item>
/// </list>
/// </summary>
public static class RolloutPlanner
{
    public static RolloutAction Next(RolloutObservation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.UpdateRevision is null || !o.ControllerCaughtUp)
            return new RolloutAction.Wait("the StatefulSet controller has not observed the current pod template yet");
        var pods = new List<RolloutPod>();
        for (var ordinal = 0; ordinal < o.Declared; ordinal++)
        {
            var pod = o.Pods.FirstOrDefault(p => p.Ordinal == ordinal);
            if (pod is null || pod.Terminating)
                return new RolloutAction.Wait($"{pod?.Name ?? $"the pod of ordinal {ordinal}"} is being replaced: waiting for it to rejoin before touching another member");
            pods.Add(pod);
        }
        var primary = o.Status.FirstOrDefault(m => m.IsPrimary);
        if (primary is null) return new RolloutAction.Wait("the replica set has no primary");

        var unhealthy = pods.Where(p => Unhealthy(o, p, primary) is not null).ToList();
        foreach (var pod in unhealthy.Where(p => Updated(o, p) && p.Crashed))
            return new RolloutAction.Halt(pod.Name, $"{pod.Name} restarted at revision {o.UpdateRevision} and failed: {pod.Failure ?? Unhealthy(o, pod, primary)}");
        foreach (var pod in unhealthy.Where(p => Updated(o, p) && o.Now - (p.Started ?? o.Now) > o.HealthBound))
            return new RolloutAction.Halt(pod.Name, $"{pod.Name} restarted at revision {o.UpdateRevision} and is not healthy after "
                + $"{(int)o.HealthBound.TotalSeconds}s: {pod.Failure ?? Unhealthy(o, pod, primary)}");
        if (unhealthy is [var down] && !Updated(o, down) && !down.Ready && Find(o.Status, down.Host) is not { Serving: true })
            return new RolloutAction.DeletePod(down, $"replace {down.Name}: it is down at an outdated revision ({down.Failure ?? Unhealthy(o, down, primary)}), "
                + "so replacing it takes no serving member down");
        if (unhealthy.Count > 0)
            return new RolloutAction.Wait($"{unhealthy[0].Name} is {Unhealthy(o, unhealthy[0], primary)}: the next member goes only when every member is "
                + $"SECONDARY or PRIMARY within {o.LagBoundSeconds}s of the primary");

        var outdated = pods.Where(p => !Updated(o, p)).ToList();
        if (outdated.Count == 0) return new RolloutAction.Steady($"all {pods.Count} members run revision {o.UpdateRevision}");
        var secondary = outdated.Where(p => !Same(p.Host, primary.Host)).MaxBy(p => p.Ordinal);
        if (secondary is not null)
            return new RolloutAction.DeletePod(secondary, $"restart {secondary.Name} at revision {o.UpdateRevision} (a secondary; "
                + $"{pods.Count - outdated.Count} of {pods.Count} members updated)");
        return StepDown(o, primary);
    }

    /// <summary>Where the rollout stands: target revision, members at it, and the member waited for.</summary>
    public static RolloutProgress Progress(RolloutObservation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var primary = o.Status.FirstOrDefault(m => m.IsPrimary);
        var pods = o.Pods.Where(p => p.Ordinal < o.Declared).ToList();
        var inFlight = pods.Where(p => p.Terminating).Select(p => p.Name).FirstOrDefault()
            ?? (primary is null ? null : pods.Where(p => Updated(o, p) && Unhealthy(o, p, primary) is not null).Select(p => p.Name).FirstOrDefault());
        return new RolloutProgress(o.UpdateRevision, pods.Count(p => Updated(o, p) && !p.Terminating), o.Declared, inFlight);
    }

    // The last outdated member is the primary: it steps down to an updated secondary that is caught up, voting and
    // electable (priority > 0); replSetStepDown itself then waits up to secondaryCatchUpPeriodSecs for it.
    private static RolloutAction StepDown(RolloutObservation o, ObservedMember primary)
    {
        var electable = o.Status.Where(m => m.State == "SECONDARY" && m.Healthy && primary.OptimeSeconds - m.OptimeSeconds <= o.LagBoundSeconds)
            .Where(m => Find(o.Config, m.Host) is { Voting: true, Priority: > 0 }).Select(m => m.Host).FirstOrDefault();
        return electable is null
            ? new RolloutAction.Wait($"the primary {primary.Host} is the last outdated member: waiting for an electable secondary within {o.LagBoundSeconds}s")
            : new RolloutAction.StepDown(primary.Host, $"the primary {primary.Host} is the last outdated member: step down (a caught-up secondary such as {electable} takes over), then restart it");
    }

    /// <summary>
    /// Null when the pod's member is SECONDARY or PRIMARY, healthy and within the lag bound, as the primary heard it
    /// from the pod's current process; otherwise what it is. The primary's row is what it last learned by heartbeat
    /// (every 2 s, a member declared down only after 10 s without an answer), so right after a restart it can still
    /// show the old process as a healthy SECONDARY: only a heartbeat after the process started (and after any clock
    /// skew between the primary and the API server or kubelet) is evidence about the new one. The readiness gate
    /// (<see cref="MemberReadiness"/>) uses the same judgement.
    /// </summary>
    public static string? Unhealthy(RolloutObservation o, RolloutPod pod, ObservedMember primary)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(primary);
        var member = Find(o.Status, pod.Host);
        if (member is null) return "not in the primary's replSetGetStatus";
        if (!member.IsPrimary && pod.Started is { } started && !(member.HeardAt > started + o.ClockSkew))
            return "restarted: the primary has not heard from its new process yet";
        if (!member.Serving) return member.Healthy ? member.State : $"{member.State}, not reachable";
        var lag = primary.OptimeSeconds - member.OptimeSeconds;
        return lag > o.LagBoundSeconds ? $"{lag}s behind the primary (bound {o.LagBoundSeconds}s)" : null;
    }

    private static bool Updated(RolloutObservation o, RolloutPod pod) => pod.Revision == o.UpdateRevision;

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static ObservedMember? Find(IReadOnlyList<ObservedMember> status, string host) => status.FirstOrDefault(m => Same(m.Host, host));

    private static ConfigMember? Find(IReadOnlyList<ConfigMember> config, string host) => config.FirstOrDefault(c => Same(c.Host, host));
}
