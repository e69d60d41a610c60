namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>
/// Replica-set membership. Health is availability, outside the verdict: replication is not a backup, so it proves
/// no contingency control. The hosts in the replica-set config are access control: a host there receives every write.
/// </summary>
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
            true => Finding.Pass("replSetGetStatus reports the member healthy", at),
            false => Finding.Fail("replSetGetStatus reports the member unhealthy", at),
        });
    }

    public static Finding UndeclaredHostsAreInReplicaSetConfig(Observation o) =>
        MemberCheck.Over(o, (p, at) => p.ReplicaHostsOutsideCertificates switch
        {
            null => Finding.Unknown("replSetGetConfig members were not read", at),
            [] => Finding.Pass("replSetGetConfig lists only the member hosts the certificates name", at),
            var hosts => Finding.Fail($"replSetGetConfig lists hosts the member certificates do not name: {Evidence.List(hosts)}", at),
        });
}
