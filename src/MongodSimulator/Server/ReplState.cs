using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Commands;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>Replica-set state of one member: config, role, term, step-down window (doc section 5).</summary>
public sealed class ReplState
{
    private readonly Lock _gate = new();
    private readonly TopologyVersion _topology;
    private readonly TimeProvider _clock;
    private DateTimeOffset? _stepDownUntil;
    private bool _primary;

    internal ReplState(string? setName, IReadOnlyList<string> selfNames, TopologyVersion topology, TimeProvider clock)
    {
        SetName = setName;
        SelfNames = selfNames;
        _topology = topology;
        _clock = clock;
    }

    public string? SetName { get; }

    /// <summary>This member's users and roles, so writes on the primary can reach in-process peers (replicated data).</summary>
    internal Func<UserStore>? UsersProvider { get; set; }

    /// <summary>Names this member answers to; the first is what hello.me reports until a config names it.</summary>
    public IReadOnlyList<string> SelfNames { get; }

    public BsonDocument? Config { get; private set; }

    public long Term { get; private set; }

    public ObjectId ElectionId { get; private set; } = ObjectId.Empty;

    public bool IsInitiated => Config is not null;

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
            BecomePrimaryLocked();
        }

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
    }

    internal void BecomePrimary(long term)
    {
        lock (_gate)
        {
            Term = Math.Max(Term, term - 1);
            BecomePrimaryLocked();
        }

        _topology.Bump();
    }

    /// <summary>
    /// Takes a config from a peer (or from the data files on restart). A member that had none joins the set by
    /// initial sync: its users and roles become copies of the sender's, as mongod's initial sync replaces its data.
    /// </summary>
    internal void AcceptConfig(BsonDocument config, long term, UserStore? initialSyncFrom = null)
    {
        lock (_gate)
        {
            if (Config is null && initialSyncFrom is not null && UsersProvider?.Invoke() is { } own && !ReferenceEquals(own, initialSyncFrom))
            {
                own.CopyFrom(initialSyncFrom);
            }

            Config = config.DeepClone().AsBsonDocument;
            Term = Math.Max(Term, term);
            _primary = false;
            _stepDownUntil = null;
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
        }

        _primary = true;
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
            .Select(m => (m, ReplicaSetRegistry.Find(m["host"].AsString))) ?? [];

    private ReplState? ElectablePeer() =>
        Peers().Where(p => p.Peer is not null && p.Member["priority"].ToDouble() > 0).Select(p => p.Peer).FirstOrDefault();

    private bool IsOnlyElectable() => ElectablePeer() is null;

    /// <summary>Hands the config to in-process peers (they become secondaries), the way heartbeats would.</summary>
    private void Propagate()
    {
        var cfg = Config;
        if (cfg is null)
        {
            return;
        }

        var users = UsersProvider?.Invoke();
        foreach (var (_, peer) in Peers())
        {
            peer?.AcceptConfig(cfg, Term, users);
        }
    }

    /// <summary>Applies a user/role write made on this member to every in-process peer, the way the oplog would.</summary>
    internal void ReplicateUsers(Action<UserStore> apply)
    {
        foreach (var (_, peer) in Peers())
        {
            if (peer?.UsersProvider?.Invoke() is { } store)
            {
                apply(store);
            }
        }
    }

    /// <summary>Health and state of a configured member as this node sees it.</summary>
    internal static (bool Up, bool Primary) PeerState(string host)
    {
        var peer = ReplicaSetRegistry.Find(host);
        return peer is null || peer.Config is null ? (false, false) : (true, peer.IsPrimary);
    }
}
