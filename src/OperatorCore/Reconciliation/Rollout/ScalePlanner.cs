namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>
/// Scaling 3 &lt;-&gt; 5 &lt;-&gt; 7 as one safe step at a time, pure (observation in, one action out).
/// mongod's rules it keeps (docs/rollouts.md cites each): a non-forced reconfig changes at most one voting member
/// (replSetReconfig manual, since 4.4); the current config must be committed, by a majority of its voters,
/// before the next (replSetReconfig waits in awaitConfigCommitment, CurrentConfigNotCommittedYet); a non-voting
/// member has priority 0 (MemberConfig: "priority must be 0 when non-voting"). Its own rules: a new member joins
/// non-voting and priority 0 and is promoted only when SECONDARY and within the lag bound of the primary; the
/// highest ordinal leaves first; the primary steps down before it leaves; no step leaves fewer healthy voters than a
/// majority of the voters after it.
/// </summary>
public static class ScalePlanner
{
    public static ScaleAction Next(ScaleObservation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var primary = o.Status.FirstOrDefault(m => m.IsPrimary);
        if (primary is null) return new ScaleAction.Wait("the replica set has no primary");
        if (!Committed(o)) return new ScaleAction.Wait($"config version {o.ConfigVersion} is not yet committed by a majority of its voting members");

        var desired = o.OrdinalHosts.Take(o.DesiredMembers).ToList();
        var extra = o.Config.Where(c => !desired.Contains(c.Host, StringComparer.OrdinalIgnoreCase))
            .OrderByDescending(c => Ordinal(o, c.Host)).FirstOrDefault();
        if (extra is not null) return Remove(o, extra, primary);

        foreach (var host in desired)
        {
            var member = Find(o.Config, host);
            if (member is null) return Add(o, host);
            if (!member.Voting) return Promote(o, member, primary);
        }

        return new ScaleAction.Steady($"the config holds the {desired.Count} members of the spec, all voting");
    }

    /// <summary>The pods the StatefulSet must keep: the spec's, and every ordinal still in the config (removed first, then the pod goes).</summary>
    public static int PodsToKeep(ScaleObservation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var highest = o.Config.Select(c => Ordinal(o, c.Host)).DefaultIfEmpty(-1).Max();
        return Math.Max(o.DesiredMembers, highest + 1);
    }

    private static ScaleAction.Reconfig Add(ScaleObservation o, string host)
    {
        var id = o.Config.Select(c => c.Id).DefaultIfEmpty(-1).Max() + 1;
        return Reconfig(o, [.. o.Config, new ConfigMember(id, host, Votes: 0, Priority: 0)],
            $"add {host} as a non-voting, priority 0 member");
    }

    private static ScaleAction Promote(ScaleObservation o, ConfigMember member, ObservedMember primary)
    {
        var seen = Find(o.Status, member.Host);
        if (seen is not { Serving: true })
            return new ScaleAction.Wait($"{member.Host} is {seen?.State ?? "not in the status"}: promoted once SECONDARY");
        var lag = primary.OptimeSeconds - seen.OptimeSeconds;
        if (lag > o.LagBoundSeconds)
            return new ScaleAction.Wait($"{member.Host} is {lag}s behind the primary (bound {o.LagBoundSeconds}s)");
        var next = o.Config.Select(c => c.Host == member.Host ? c with { Votes = 1, Priority = 1 } : c).ToList();
        return (ScaleAction?)Safe(o, next) ?? Reconfig(o, next, $"promote {member.Host} to voting (SECONDARY, {lag}s behind)");
    }

    private static ScaleAction Remove(ScaleObservation o, ConfigMember member, ObservedMember primary)
    {
        if (string.Equals(member.Host, primary.Host, StringComparison.OrdinalIgnoreCase))
            return new ScaleAction.StepDown(primary.Host, $"{member.Host} leaves the set and is primary: step down first");
        var next = o.Config.Where(c => c.Host != member.Host).ToList();
        return (ScaleAction?)Safe(o, next) ?? Reconfig(o, next, $"remove {member.Host} (highest ordinal beyond the spec's {o.DesiredMembers})");
    }

    // A step that would leave fewer serving voters than a majority of the new voters waits instead.
    private static ScaleAction.Wait? Safe(ScaleObservation o, IReadOnlyList<ConfigMember> next)
    {
        var voters = next.Where(c => c.Voting).ToList();
        var serving = voters.Count(c => Find(o.Status, c.Host) is { Serving: true });
        var majority = voters.Count / 2 + 1;
        return serving >= majority ? null
            : new ScaleAction.Wait($"after this step {serving} of {voters.Count} voting members would serve, fewer than the majority {majority}");
    }

    // Committed: a majority of the config's voters report this config version (awaitConfigCommitment's test).
    private static bool Committed(ScaleObservation o)
    {
        var voters = o.Config.Where(c => c.Voting).ToList();
        var have = voters.Count(c => Find(o.Status, c.Host) is { Healthy: true } m && m.ConfigVersion == o.ConfigVersion);
        return have >= voters.Count / 2 + 1;
    }

    private static ScaleAction.Reconfig Reconfig(ScaleObservation o, IReadOnlyList<ConfigMember> members, string why) =>
        new(members, o.ConfigVersion + 1, why);

    private static int Ordinal(ScaleObservation o, string host)
    {
        for (var i = 0; i < o.OrdinalHosts.Count; i++)
            if (string.Equals(o.OrdinalHosts[i], host, StringComparison.OrdinalIgnoreCase)) return i;
        return int.MaxValue; // a host of no ordinal (added by hand) leaves first
    }

    private static ConfigMember? Find(IReadOnlyList<ConfigMember> config, string host) =>
        config.FirstOrDefault(c => string.Equals(c.Host, host, StringComparison.OrdinalIgnoreCase));

    private static ObservedMember? Find(IReadOnlyList<ObservedMember> status, string host) =>
        status.FirstOrDefault(m => string.Equals(m.Host, host, StringComparison.OrdinalIgnoreCase));
}
