namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>
/// Runs one per-member rule over every member. A member that is unreachable, unread or stale is Unknown,
/// never Pass; any fresh failing member makes the check Fail.
/// </summary>
internal static class MemberCheck
{
    public static Finding Over(Observation o, Func<MemberParameters, DateTimeOffset?, Finding> rule)
    {
        if (o.Members.Count == 0)
        {
            return Finding.Unknown("no member was read");
        }

        var perMember = o.Members.Select(m => (m.Name, Finding: OnMember(o, m, rule))).ToList();
        var observedAt = perMember.Select(p => p.Finding.ObservedAt).Min();
        foreach (var outcome in new[] { Outcome.Fail, Outcome.Unknown })
        {
            var hits = perMember.Where(p => p.Finding.Outcome == outcome).ToList();
            if (hits.Count > 0)
            {
                return new Finding(outcome, Evidence.List(hits.Select(h => $"{h.Name}: {h.Finding.Evidence}")), observedAt);
            }
        }

        var sentences = perMember.Select(p => p.Finding.Evidence).Distinct().ToList();
        var summary = sentences.Count == 1 ? sentences[0] : Evidence.List(sentences);
        return Finding.Pass($"on all {perMember.Count} members {summary}", observedAt);
    }

    private static Finding OnMember(
        Observation o, MemberFinding member, Func<MemberParameters, DateTimeOffset?, Finding> rule)
    {
        if (!member.Reachable)
        {
            return Finding.Unknown(member.Failure is { } cause ? $"the member was not verified ({cause})" : "the member was unreachable", member.ObservedAt);
        }

        if (member.Parameters is null || member.ObservedAt is null)
        {
            return Finding.Unknown("the member's settings were not read", member.ObservedAt);
        }

        if (o.WhyNotFresh(member.ObservedAt.Value) is { } why)
        {
            return Finding.Unknown($"the last read ({Evidence.Time(member.ObservedAt.Value)}) {why}", member.ObservedAt);
        }

        return rule(member.Parameters, member.ObservedAt);
    }
}
