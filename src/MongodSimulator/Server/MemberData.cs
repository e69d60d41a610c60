namespace HipaaMongo.MongodSimulator.Server;

/// <summary>What a heartbeat response carries (ReplSetHeartbeatResponse): the responder's state, positions, config and sync source.</summary>
internal sealed record HeartbeatResponse(
    MemberState State,
    OpTime Applied,
    DateTime AppliedWall,
    OpTime Durable,
    DateTime DurableWall,
    int ConfigVersion,
    long ConfigTerm,
    long Term,
    string SyncSource,
    OpTime ElectionTime,
    OpTime LastCommitted);

/// <summary>
/// What this member last learned of one peer by heartbeat, as mongod's MemberData (src/mongo/db/repl/member_data.h,
/// member_data.cpp). Until a first heartbeat: health -1, state UNKNOWN (6), null optimes, config version and term -1.
/// A reply (setUpValues): health 1, upSince kept from the first reply after an outage, the reply's state and optimes,
/// lastHeartbeat now. No reply (setDownValues): health 0, state DOWN (8), upSince cleared, the last response cleared
/// (so replSetGetStatus's optime and optimeDurable, which read the last response, become null) while the config
/// version and term and the applied/durable wall times stay as last known ("The _lastAppliedOpTime/_lastDurableOpTime
/// fields don't get cleared merely by missing a heartbeat"). Guarded by the owning ReplState's lock.
/// </summary>
internal sealed class MemberData
{
    public double Health { get; private set; } = -1;

    public DateTimeOffset? UpSince { get; private set; }

    public DateTimeOffset? LastHeartbeat { get; private set; }

    public DateTimeOffset? LastHeartbeatRecv { get; set; }

    public string LastHeartbeatMessage { get; private set; } = "";

    /// <summary>The last response; null before the first and after a missed heartbeat (state then UNKNOWN or DOWN).</summary>
    public HeartbeatResponse? Response { get; private set; }

    public MemberState State => Response?.State ?? (Health == 0 ? MemberState.Down : MemberState.Unknown);

    /// <summary>The applied optime last reported (kept across missed heartbeats, as _lastAppliedOpTime is).</summary>
    public OpTime LastApplied { get; private set; } = OpTime.Null;

    public DateTime LastAppliedWall { get; private set; } = DateTime.UnixEpoch;

    public OpTime LastDurable { get; private set; } = OpTime.Null;

    public DateTime LastDurableWall { get; private set; } = DateTime.UnixEpoch;

    public int ConfigVersion { get; private set; } = -1;

    public long ConfigTerm { get; private set; } = -1;

    public bool Up => Health > 0;

    /// <summary>When the last reply came (a hung peer is marked down once heartbeatTimeoutSecs has passed since).</summary>
    public DateTimeOffset? LastReply { get; private set; }

    public MemberData Clone() => (MemberData)MemberwiseClone();

    public void SetUp(DateTimeOffset now, HeartbeatResponse response)
    {
        Health = 1;
        UpSince ??= now;
        LastHeartbeat = now;
        LastReply = now;
        LastHeartbeatMessage = "";
        Response = response;
        if (response.Applied > LastApplied)
        {
            (LastApplied, LastAppliedWall) = (response.Applied, response.AppliedWall);
        }

        if (response.Durable > LastDurable)
        {
            (LastDurable, LastDurableWall) = (response.Durable, response.DurableWall);
        }

        (ConfigVersion, ConfigTerm) = (response.ConfigVersion, response.ConfigTerm);
    }

    public void SetDown(DateTimeOffset now, string message)
    {
        Health = 0;
        UpSince = null;
        LastHeartbeat = now;
        LastHeartbeatMessage = message;
        Response = null;
    }
}
