namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>Contingency (164.308(a)(7)): every declared member exists and is healthy in the replica set.</summary>
internal static class AvailabilityChecks
{
    public static Finding ReplicaSetIsMissingMembers(Observation o)
    {
        if (o.Members.Count < o.Desired.Members)
        {
            var at = o.Members.Select(m => m.ObservedAt).Min();
            return Finding.Fail($"{o.Members.Count} of {o.Desired.Members} declared members exist", at);
        }

        return MemberCheck.Over(o, (p, at) => p.ReplicaHealthy switch
        {
            null => Finding.Unknown("replica-set health was not read", at),
            true when p.ReplicaHostsOutsideCertificates is [_, ..] hosts =>
                Finding.Fail($"replSetGetConfig lists hosts the member certificates do not name: {Evidence.List(hosts)}", at),
            true => Finding.Pass("replSetGetStatus reports the member healthy", at),
            false => Finding.Fail("replSetGetStatus reports the member unhealthy", at),
        });
    }
}
