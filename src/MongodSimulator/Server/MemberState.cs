namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// Replica-set member states with mongod's numbers (manual, "Replica Set Member States"; src/mongo/db/repl/member_state.h).
/// UNKNOWN (6) is a peer not yet heard from and DOWN (8) one that does not answer; neither is ever a member's own state.
/// </summary>
public enum MemberState
{
    Startup = 0,
    Primary = 1,
    Secondary = 2,
    Recovering = 3,
    Startup2 = 5,
    Unknown = 6,
    Down = 8,
}

internal static class MemberStates
{
    /// <summary>stateStr as replSetGetStatus prints it (MemberState::toString).</summary>
    public static string Name(MemberState s) => s switch
    {
        MemberState.Startup => "STARTUP",
        MemberState.Primary => "PRIMARY",
        MemberState.Secondary => "SECONDARY",
        MemberState.Recovering => "RECOVERING",
        MemberState.Startup2 => "STARTUP2",
        MemberState.Unknown => "UNKNOWN",
        _ => "(not reachable/healthy)",
    };
}
