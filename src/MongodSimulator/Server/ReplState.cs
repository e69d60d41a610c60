using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Commands;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// Replica-set state of one member: config, state, term, applied position, step-down window (doc section 5).
/// Heartbeats, initial sync and elections are in ReplState.Heartbeats.cs.
/// </summary>
public sealed partial class ReplState : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TopologyVersion _topology;
    private readonly TimeProvider _clock;
    private DateTimeOffset? _stepDownUntil;
    private readonly Queue<PendingEntry> _pending = new();
    private readonly CommittedView _view = new();
    private readonly HashSet<OpTime> _history = []; // the optimes of this member's oplog entries

    /// <summary>Whether <paramref name="optime"/> is an entry of this member's oplog (a sync source's check for a common point).</summary>
    internal bool HasEntry(OpTime optime)
    {
        lock (_gate)
        {
            return _history.Contains(optime);
        }
    }

    /// <summary>This member's data as of its commit point: what readConcern "majority" reads.</summary>
    internal Data.DataStore CommittedData => _view.Data;
    private bool _primary;
    private MemberState _dataState = MemberState.Startup;

    internal ReplState(string? setName, IReadOnlyList<string> selfNames, TopologyVersion topology, TimeProvider clock, SimulatedNetwork? network = null)
    {
        Network = network ?? SimulatedNetwork.Default;
        SetName = setName;
        SelfNames = selfNames;
        _topology = topology;
        _clock = clock;
        _lastPrimaryContact = clock.GetUtcNow();
    }

    public string? SetName { get; }

    /// <summary>The network this member's peers are reached on.</summary>
    internal SimulatedNetwork Network { get; }

    /// <summary>This member's users and roles, so writes on the primary can reach in-process peers (replicated data).</summary>
    internal Func<UserStore>? UsersProvider { get; set; }

    /// <summary>This member's collections, replicated like the users.</summary>
    internal Func<Data.DataStore>? DataProvider { get; set; }

    /// <summary>Called after the config, term or applied position changed (outside the lock), to write them to disk.</summary>
    internal Action? Changed { get; set; }

    /// <summary>
    /// Fault: a slow disk. Each replicated write is fetched at once but applied only once it is this old, so the member
    /// lags the primary by about this much (its optime trails; w:majority may have to wait for the others). Zero: none.
    /// </summary>
    internal TimeSpan ApplyDelay { get; set; }

    /// <summary>Names this member answers to; the first is what hello.me reports until a config names it.</summary>
    public IReadOnlyList<string> SelfNames { get; }

    public BsonDocument? Config { get; private set; }

    public long Term { get; private set; }

    /// <summary>
    /// How many replicated writes this member has applied (the position of its last oplog entry); a member that missed
    /// writes is behind until it catches up from the primary.
    /// </summary>
    /// <summary>
    /// Held while this member changes its data together with its oplog position: a command's synchronous part (the
    /// local write and its replication, CommandDispatcher) and the apply of a replicated entry. A peer cloning this
    /// member takes it, so it never sees one without the other.
    /// </summary>
    internal object WriteGate { get; } = new();

    public long LastApplied { get; private set; }

    public ObjectId ElectionId { get; private set; } = ObjectId.Empty;

    /// <summary>The optime of this member's last applied oplog entry (optimes.appliedOpTime; durable at once: every change is fsynced).</summary>
    public OpTime LastAppliedOpTime { get; private set; } = OpTime.Null;

    /// <summary>The wall-clock time the last applied entry was written on the primary (lastAppliedWallTime).</summary>
    public DateTime LastAppliedWall { get; private set; } = DateTime.UnixEpoch;

    /// <summary>The newest optime this member knows a majority of voters to have (optimes.lastCommittedOpTime).</summary>
    public OpTime LastCommitted { get; private set; } = OpTime.Null;

    /// <summary>When this member last became primary (electionTime).</summary>
    public OpTime ElectionTime { get; private set; } = OpTime.Null;

    /// <summary>The member this secondary last applied entries from (syncSourceHost); empty on a primary or before any.</summary>
    public string SyncSource { get; private set; } = "";

    public bool IsInitiated => Config is not null;

    /// <summary>STARTUP without a config; STARTUP2 during initial sync; then SECONDARY or PRIMARY.</summary>
    public MemberState State
    {
        get
        {
            if (IsPrimary)
            {
                return MemberState.Primary;
            }

            lock (_gate)
            {
                return Config is null ? MemberState.Startup : _dataState;
            }
        }
    }

    public bool IsPrimary
    {
        get
        {
            lock (_gate)
            {
                if (!_primary && _stepDownUntil is { } until && _clock.GetUtcNow() >= until && IsOnlyElectable())
                {
                    BecomePrimaryLocked();
                }

                return _primary;
            }
        }
    }

    public string Me => Config is null ? SelfNames[0] : SelfMember()?["host"].AsString ?? SelfNames[0];

    public void RequireReplSet()
    {
        if (SetName is null)
        {
            throw new CommandException(ErrorCodes.NoReplicationEnabled, "not running with --replSet");
        }
    }

    public void RequireConfig()
    {
        RequireReplSet();
        if (Config is null)
        {
            throw new CommandException(ErrorCodes.NotYetInitialized, "no replset config has been received");
        }
    }

    public void Initiate(BsonDocument? requested)
    {
        RequireReplSet();
        lock (_gate)
        {
            if (Config is not null)
            {
                throw new CommandException(ErrorCodes.AlreadyInitialized, "already initialized");
            }

            var cfg = ReplConfigShape.Normalise(requested is null || requested.ElementCount == 0
                ? new BsonDocument { { "_id", SetName }, { "members", new BsonArray { new BsonDocument { { "_id", 0 }, { "host", SelfNames[0] } } } } }
                : requested, SetName!, version: null, term: 1);
            CheckSelf(cfg);
            Config = cfg;
            Term = 1;
            _dataState = MemberState.Secondary;
            // replSetInitiate writes the "initiating set" no-op, with the uninitialized term -1, before any election.
            (LastAppliedOpTime, LastAppliedWall) = (OpTime.Null.Next(_clock.GetUtcNow(), -1), _clock.GetUtcNow().UtcDateTime);
            _history.Add(LastAppliedOpTime);
            LastCommitted = LastAppliedOpTime;
            ResetView();
            BecomePrimaryLocked();
        }

        Changed?.Invoke();
        Propagate();
    }

    public void Reconfig(BsonDocument requested, bool force)
    {
        RequireConfig();
        lock (_gate)
        {
            if (!_primary && !force)
            {
                throw NotPrimary("not primary");
            }

            var version = requested.GetValue("version", 0).ToInt32();
            if (!force && version <= Config!["version"].ToInt32())
            {
                throw new CommandException(ErrorCodes.NewReplicaSetConfigurationIncompatible,
                    $"New config is rejected :: caused by :: version field value of {version} is not greater than the current version {Config["version"].ToInt32()}");
            }

            if (requested.GetValue("_id", "").ToString() != SetName)
            {
                throw new CommandException(ErrorCodes.NewReplicaSetConfigurationIncompatible,
                    $"New and old configurations differ in replica set ID; old was {SetName}, and new is {requested.GetValue("_id", "")}");
            }

            var cfg = ReplConfigShape.Normalise(requested, SetName!, version, Term);
            CheckSelf(cfg);
            if (!force && Math.Abs(Voters(cfg) - Voters(Config!)) > 1)
            {
                throw new CommandException(ErrorCodes.NewReplicaSetConfigurationIncompatible,
                    "Non-force replica set reconfig can only add or remove at most 1 voting member.");
            }

            cfg["settings"]["replicaSetId"] = Config!["settings"]["replicaSetId"];
            Config = cfg;
        }

        _topology.Bump();
        Changed?.Invoke();
        Propagate();
    }

    public void StepDown(int seconds, int catchUpSeconds, bool force)
    {
        RequireConfig();
        lock (_gate)
        {
            if (!_primary)
            {
                throw NotPrimary("not primary so can't step down");
            }

            if (seconds <= catchUpSeconds)
            {
                throw new CommandException(ErrorCodes.BadValue,
                    "stepdown period must be longer than secondaryCatchUpPeriodSecs");
            }

            var peer = ElectablePeer();
            if (peer is null && !force)
            {
                throw new CommandException(ErrorCodes.ExceededTimeLimit,
                    $"No electable secondaries caught up as of {_clock.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffK}. Please use the replSetStepDown command with the argument {{force: true}} to force node to step down.");
            }

            _primary = false;
            _stepDownUntil = _clock.GetUtcNow().AddSeconds(seconds);
            peer?.BecomePrimary(Term + 1);
        }

        _topology.Bump();
    }

    /// <summary>Out-of-band state injection (tests): force this member primary or secondary.</summary>
    public void Force(bool primary)
    {
        lock (_gate)
        {
            if (primary)
            {
                BecomePrimaryLocked();
            }
            else
            {
                _primary = false;
                _stepDownUntil = DateTimeOffset.MaxValue;
            }
        }

        _topology.Bump();
        Changed?.Invoke();
    }

    internal void BecomePrimary(long term)
    {
        lock (_gate)
        {
            Term = Math.Max(Term, term - 1);
            BecomePrimaryLocked();
        }

        _topology.Bump();
        Changed?.Invoke();
    }

    /// <summary>
    /// Takes a config from a peer (the reply to a heartbeat). A member that had none joins the set by initial sync:
    /// its users and roles become copies of the sender's, as mongod's initial sync replaces its data.
    /// </summary>
    internal void AcceptConfig(BsonDocument config, long term, ReplState? sender = null)
    {
        bool initialSync;
        lock (_gate)
        {
            initialSync = Config is null && sender is not null;
            Config = config.DeepClone().AsBsonDocument;
            Term = Math.Max(Term, term);
            _primary = false;
            _stepDownUntil = null;
            // A member that has data (a restart carrying it in memory) starts steady-state replication in RECOVERING.
            _dataState = initialSync ? MemberState.Startup2 : _dataState == MemberState.Startup ? MemberState.Recovering : _dataState;
        }

        _topology.Bump();
        if (initialSync)
        {
            BeginInitialSync(sender!);
        }
        else
        {
            Changed?.Invoke();
        }
    }

    /// <summary>The durable state read back from storage.dbPath at start-up (local.system.replset, local.replset.election, the oplog's end).</summary>
    internal void Restore(BsonDocument config, long term, long lastApplied, OpTime appliedOpTime, DateTime appliedWall, IEnumerable<OpTime> entries)
    {
        lock (_gate)
        {
            Config = config.DeepClone().AsBsonDocument;
            Term = term;
            LastApplied = lastApplied;
            (LastAppliedOpTime, LastAppliedWall) = (appliedOpTime, appliedWall);
            _history.Clear();
            _history.UnionWith(entries);
            _history.Add(appliedOpTime);
            ResetView(); // what was read back from dbPath counts as committed; the commit point is learned again
            // The config is installed (STARTUP2) and, since there is data, steady-state replication starts in
            // RECOVERING; the first oplog-applier round takes it to SECONDARY (TryGoLive).
            _dataState = MemberState.Recovering;
        }

        _topology.Bump();
    }

    public BsonDocument? SelfMember() => Config?["members"].AsBsonArray
        .Select(m => m.AsBsonDocument)
        .FirstOrDefault(m => SelfNames.Contains(m["host"].AsString, StringComparer.OrdinalIgnoreCase));

    internal CommandException NotPrimary(string message) =>
        new(ErrorCodes.NotWritablePrimary, message, new BsonDocument("topologyVersion", _topology.ToBson()));

    private void BecomePrimaryLocked()
    {
        if (!_primary)
        {
            Term++;
            ElectionId = ObjectId.GenerateNewId();
            ElectionTime = new OpTime(new BsonTimestamp((int)_clock.GetUtcNow().ToUnixTimeSeconds(), 1), Term);
            SyncSource = "";
            _primarySawMajority = _clock.GetUtcNow();
        }

        _primary = true;
        _dataState = MemberState.Secondary;
        _stepDownUntil = null;
        _topology.Bump();
    }

    private void CheckSelf(BsonDocument cfg)
    {
        if (!cfg["members"].AsBsonArray.Any(m => SelfNames.Contains(m["host"].AsString, StringComparer.OrdinalIgnoreCase)))
        {
            throw new CommandException(ErrorCodes.NodeNotFound,
                "No host described in new configuration with {version: " + cfg["version"] + ", term: " + Term + "} for replica set " + SetName + " maps to this node");
        }
    }

    private static int Voters(BsonDocument cfg) => cfg["members"].AsBsonArray.Count(m => m["votes"].ToInt32() > 0);

    private IEnumerable<(BsonDocument Member, ReplState? Peer)> Peers() =>
        Config?["members"].AsBsonArray.Select(m => m.AsBsonDocument)
            .Where(m => !SelfNames.Contains(m["host"].AsString, StringComparer.OrdinalIgnoreCase))
            .Select(m => (m, Network.Reach(this, m["host"].AsString))) ?? [];

    private ReplState? ElectablePeer() =>
        Peers().Where(p => p.Peer is { Hung: false } && p.Member["priority"].ToDouble() > 0).Select(p => p.Peer).FirstOrDefault();

    private bool IsOnlyElectable() => ElectablePeer() is null;

    private bool IsElectableSelf() => SelfMember() is { } self && self["priority"].ToDouble() > 0 && self["votes"].ToInt32() > 0;

    /// <summary>Hands the config to in-process peers at once, as the heartbeats right after initiate/reconfig do.</summary>
    private void Propagate()
    {
        var cfg = Config;
        if (cfg is null)
        {
            return;
        }

        foreach (var (_, peer) in Peers().Where(p => p.Peer is { Hung: false }).ToList())
        {
            peer!.AcceptConfig(cfg, Term, this);
        }

        HeartbeatRound(_clock.GetUtcNow()); // mongod restarts heartbeats at once on a new config
    }

    /// <summary>
    /// Applies a user/role write made on this member (the primary) to every in-process peer that has applied everything
    /// before it, the way the oplog would; a peer that missed earlier writes catches up on a later heartbeat.
    /// </summary>
    internal void ReplicateUsers(Action<UserStore> apply) => Replicate(peer => peer.UsersProvider?.Invoke() is { } store ? () => apply(store) : null, null);

    /// <summary>Applies a data write made on this member (the primary) to the peers, as <see cref="ReplicateUsers"/> does.</summary>
    /// <summary>The featureCompatibilityVersion document (admin.system.version), read and written on each member.</summary>
    internal Func<string>? FcvReader { get; set; }

    internal Action<string>? FcvWriter { get; set; }

    /// <summary>A setFeatureCompatibilityVersion on the primary reaches the peers as its admin.system.version write does.</summary>
    internal void ReplicateFcv(string version) => Replicate(peer => peer.FcvWriter is { } write ? () => write(version) : null, null);

    internal void ReplicateData(Action<Data.DataStore> apply) => Replicate(peer => peer.DataProvider?.Invoke() is { } store ? () => apply(store) : null, apply);

    private void Replicate(Func<ReplState, Action?> applyOn, Action<Data.DataStore>? dataOp)
    {
        long before;
        OpTime optime;
        DateTime wall;
        lock (_gate)
        {
            before = LastApplied++;
            var now = _clock.GetUtcNow();
            optime = LastAppliedOpTime.Next(now, Term);
            (LastAppliedOpTime, LastAppliedWall, wall) = (optime, now.UtcDateTime, now.UtcDateTime);
            _history.Add(optime);
        }

        if (dataOp is not null && Config is not null)
        {
            _view.Record(optime, dataOp); // a standalone has no commit point: majority reads read its data
        }

        Changed?.Invoke();
        foreach (var (_, peer) in Peers())
        {
            peer?.ApplyReplicated(new PendingEntry(before, before + 1, optime, wall, Me, applyOn(peer), dataOp));
        }

        AdvanceCommitPoint();
    }

    private void ApplyReplicated(PendingEntry entry)
    {
        lock (_gate)
        {
            if (_dataState is not (MemberState.Secondary or MemberState.Recovering) || _primary || Hung
                || (_pending.Count > 0 ? _pending.Last().After : LastApplied) != entry.Before)
            {
                return;
            }

            if (ApplyDelay > TimeSpan.Zero)
            {
                _pending.Enqueue(entry); // a slow disk: fetched now, applied once ApplyDelay has passed
                return;
            }
        }

        Apply(entry);
    }

    private void Apply(PendingEntry entry)
    {
        lock (WriteGate) // the entry's position and its data change as one step (CloneFrom)
        {
            lock (_gate)
            {
                if (LastApplied != entry.Before)
                {
                    return;
                }

                LastApplied = entry.After;
                (LastAppliedOpTime, LastAppliedWall, SyncSource) = (entry.OpTime, entry.Wall, entry.Source);
                _history.Add(entry.OpTime);
            }

            entry.Apply?.Invoke();
            if (entry.DataOp is not null)
            {
                _view.Record(entry.OpTime, entry.DataOp);
            }
        }

        Changed?.Invoke();
    }

    /// <summary>Applies the fetched entries whose write is at least ApplyDelay old (a slow disk's lag), in order.</summary>
    private void ApplyDue(DateTimeOffset now)
    {
        while (true)
        {
            PendingEntry? due;
            lock (_gate)
            {
                due = _pending.TryPeek(out var head) && head.Wall + ApplyDelay <= now.UtcDateTime ? _pending.Dequeue() : null;
            }

            if (due is null)
            {
                return;
            }

            Apply(due);
        }
    }

    private sealed record PendingEntry(long Before, long After, OpTime OpTime, DateTime Wall, string Source, Action? Apply, Action<Data.DataStore>? DataOp);

    /// <summary>
    /// One oplog-applier round's tryToGoLiveAsASecondary (replication_coordinator_impl.cpp): a member in RECOVERING
    /// becomes SECONDARY once it has applied up to minValid. Applying is atomic here, so minValid is always the applied
    /// position and the first round succeeds; a set whose only electable voter it is then elects it at once
    /// (kSingleNodePromptElection). A RECOVERING member never stands for election.
    /// </summary>
    private void TryGoLive()
    {
        var electable = IsOnlyElectable();
        lock (_gate)
        {
            if (_dataState != MemberState.Recovering || _primary)
            {
                return;
            }

            _dataState = MemberState.Secondary;
            _lastPrimaryContact = _clock.GetUtcNow();
            if (electable && IsElectableSelf())
            {
                BecomePrimaryLocked();
            }
        }

        _topology.Bump();
        Changed?.Invoke();
    }

    private void ResetView()
    {
        if (DataProvider?.Invoke() is { } data)
        {
            _view.Reset(data);
        }
    }

    /// <summary>Moves the commit point forward (never back) and shows the writes up to it to majority reads.</summary>
    private void AdvanceCommittedLocked(OpTime commitPoint)
    {
        if (commitPoint > LastCommitted)
        {
            LastCommitted = commitPoint;
        }

        _view.Advance(LastCommitted);
    }

    /// <summary>writeMajorityCount: half the voting members plus one.</summary>
    internal int WriteMajorityCount => Config is null ? 1 : Voters(Config) / 2 + 1;

    /// <summary>
    /// This member and every reachable data-bearing peer that has applied up to <paramref name="position"/>; a
    /// RECOVERING member replicates and reports its position too, so it counts, as in mongod.
    /// </summary>
    internal int MembersWithApplied(long position) => 1 + Peers()
        .Count(p => p.Peer is { } peer && peer.LastApplied >= position && peer.State is MemberState.Secondary or MemberState.Primary or MemberState.Recovering);

    /// <summary>Health and state of a configured member as this node sees it.</summary>
    internal (bool Up, MemberState State) PeerState(string host)
    {
        var peer = Network.Reach(this, host);
        return peer is null ? (false, MemberState.Down) : (true, peer.State);
    }

    /// <summary>
    /// A primary's commit point: the newest optime that writeMajorityCount voting members have applied (each write is
    /// durable when applied), as TopologyCoordinator::updateLastCommittedOpTimeAndWallTime takes the
    /// writeMajority-th highest durable optime among the voters. Positions are read from the members directly, as
    /// replSetUpdatePosition reports them to the primary as soon as they move.
    /// </summary>
    private void AdvanceCommitPoint()
    {
        var config = Config;
        if (config is null || !IsPrimary)
        {
            return;
        }

        var optimes = Peers().Where(p => p.Member["votes"].ToInt32() > 0 && p.Peer is { State: MemberState.Secondary or MemberState.Primary or MemberState.Recovering })
            .Select(p => p.Peer!.LastAppliedOpTime).ToList();
        if (IsVoter(SelfMember()))
        {
            optimes.Add(LastAppliedOpTime);
        }

        var majority = WriteMajorityCount;
        if (optimes.Count < majority)
        {
            return;
        }

        var committed = optimes.OrderDescending().ElementAt(majority - 1);
        lock (_gate)
        {
            AdvanceCommittedLocked(committed);
        }
    }

    private static bool IsVoter(BsonDocument? member) => member is not null && member["votes"].ToInt32() > 0;

    public void Dispose() => StopHeartbeats();
}
