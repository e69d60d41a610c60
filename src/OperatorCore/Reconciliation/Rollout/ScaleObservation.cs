namespace HipaaMongo.Operator.Reconciliation.Rollout;

/// <summary>One member of the replica-set config (replSetGetConfig members[]), the fields scaling changes.</summary>
public sealed record ConfigMember(int Id, string Host, int Votes, double Priority)
{
    public bool Voting => Votes > 0;
}

/// <summary>
/// One member as the primary's replSetGetStatus shows it: state (stateStr), health, its optime in seconds
/// and the config version it last reported (members[].configVersion), and when the primary last heard from it
/// (the later of lastHeartbeat, a response to the primary's heartbeat, and lastHeartbeatRecv, a heartbeat from it;
/// null for the primary's own row, or when it never did).
/// </summary>
public sealed record ObservedMember(string Host, string State, bool Healthy, long OptimeSeconds, int ConfigVersion, DateTimeOffset? HeardAt = null)
{
    public bool IsPrimary => State == "PRIMARY";

    /// <summary>A data-bearing member serving reads and able to vote now.</summary>
    public bool Serving => Healthy && State is "PRIMARY" or "SECONDARY";
}

/// <summary>
/// What the scale planner decides from: the config and status read from the primary, and the hosts the spec
/// wants, in ordinal order (host of pod 0, 1, ...). <see cref="OrdinalHosts"/> names every ordinal up to the
/// largest size (7), so a host in the config beyond the spec is known by its ordinal.
/// </summary>
public sealed record ScaleObservation(
    int ConfigVersion,
    IReadOnlyList<ConfigMember> Config,
    IReadOnlyList<ObservedMember> Status,
    IReadOnlyList<string> OrdinalHosts,
    int DesiredMembers,
    long LagBoundSeconds);
