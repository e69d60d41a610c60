using HipaaMongo.MongodSimulator.Audit;
using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Storage;
using HipaaMongo.MongodSimulator.Tls;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>Everything one simulated mongod knows; shared by its connections.</summary>
public sealed class ServerState : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _databases =
        new(StringComparer.Ordinal) { ["admin"] = 0, ["config"] = 0, ["local"] = 0 };
    private int _nextConnectionId;
    private UserStore _users = new();

    internal ServerState(MongodConfig config, SimulatorProfile profile, ServerCertificates? certificates,
        IReadOnlyList<string> selfNames, TimeProvider clock, SimulatedNetwork? network = null)
    {
        Config = config;
        Profile = profile;
        Certificates = certificates;
        Clock = clock;
        Parameters = new ParameterStore(config, profile);
        Topology = new TopologyVersion();
        Repl = new ReplState(config.ReplSetName, selfNames, Topology, clock, network)
        {
            UsersProvider = () => Users,
            DataProvider = () => Data,
            Changed = Persist,
            FcvReader = () => Parameters.Get("featureCompatibilityVersion")["version"].AsString,
            FcvWriter = v => Parameters.Store("featureCompatibilityVersion", new BsonDocument("version", v)),
        };
        Data.Changed = Persist;
        LdapUsers = new Auth.Ldap.LdapUserCache(clock, () => Parameters.Contains(LdapUserCacheInterval) ? Parameters.GetInt(LdapUserCacheInterval) : 30);
        Audit = new AuditLog(config);
        StartedAt = clock.GetUtcNow();
        ProfileLevel = config.ProfileMode switch { "slowOp" => 1, "all" => 2, _ => 0 };
    }

    public MongodConfig Config { get; }

    /// <summary>The host's "global" log, for getLog.</summary>
    public RamLog GlobalLog { get; internal init; } = new();

    /// <summary>The KMIP key id the master key was obtained with at start-up; null when KMIP was not dialed.</summary>
    public string? MasterKeyId { get; internal set; }

    public SimulatorProfile Profile { get; }

    /// <summary>The directory PLAIN on $external authenticates against; null when LDAP is not configured or not simulated.</summary>
    internal Auth.Ldap.LdapDirectory? Ldap { get; set; }

    internal const string LdapUserCacheInterval = "ldapUserCacheInvalidationInterval";

    /// <summary>mongod's user cache for directory users, flushed every ldapUserCacheInvalidationInterval seconds.</summary>
    internal Auth.Ldap.LdapUserCache LdapUsers { get; }

    /// <summary>Writes a mongod-style log line (component, message, attributes, id); set by the host.</summary>
    internal Action<string, string, BsonDocument, int?>? Logger { get; set; }

    /// <summary>An ACCESS log line; 20249 is mongod's "Authentication failed" (authenticate.cpp).</summary>
    internal void LogAccess(string message, BsonDocument attributes) => Logger?.Invoke("ACCESS", message, attributes, 20249);

    public ParameterStore Parameters { get; }

    public UserStore Users
    {
        get => _users;
        internal set
        {
            _users = value;
            _users.Changed = Persist;
        }
    }

    /// <summary>storage.dbPath's files, or null when the config names no dbPath (state in memory only).</summary>
    internal DataFiles? DataFiles { get; set; }

    /// <summary>Writes the durable state to storage.dbPath (atomically; nothing when unchanged or without a dbPath).</summary>
    internal void Persist()
    {
        if (DataFiles is { } files && Repl.State != MemberState.Startup2)
        {
            files.Write(DurableState.Capture(this));
        }
    }

    public ReplState Repl { get; }

    public TopologyVersion Topology { get; }

    public ServerStats Stats { get; } = new();

    public AuditLog Audit { get; }

    public TimeProvider Clock { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The certificate material currently served; replaced by rotateCertificates.</summary>
    public ServerCertificates? Certificates { get; internal set; }

    /// <summary>Profiler level (0 off, 1 slowOp, 2 all), per the profile command; one value for all databases.</summary>
    public int ProfileLevel { get; set; }

    public int SlowMs { get; set; } = 100;

    public BsonDocument? DefaultRWConcern { get; set; }

    /// <summary>
    /// Databases that exist (hold data): admin, config and local on every replica-set member, plus any a test adds
    /// through <see cref="SimulatorDrift.AddDatabase"/>; the simulator stores no collections of its own.
    /// </summary>
    public IReadOnlyCollection<string> Databases => [.. _databases.Keys.Union(Data.Databases, StringComparer.Ordinal)];

    /// <summary>The collections and their documents.</summary>
    public Data.DataStore Data { get; } = new();

    /// <summary>Open find/aggregate cursors.</summary>
    public Data.Cursors Cursors { get; } = new();

    internal void AddDatabase(string name) => _databases.TryAdd(name, 0);

    public int NextConnectionId() => Interlocked.Increment(ref _nextConnectionId);

    public bool AuthorizationEnabled => Config.AuthorizationEnabled;

    /// <summary>The localhost exception applies while no user or role exists and the parameter allows it.</summary>
    public bool LocalhostExceptionOpen => AuthorizationEnabled && Users.IsEmpty && Parameters.GetBool("enableLocalhostAuthBypass");

    public BsonArray EnabledMechanisms => Parameters.Get("authenticationMechanisms").AsBsonArray;

    public void Dispose()
    {
        Repl.Dispose();
        DataFiles?.Dispose();
        Audit.Dispose();
    }
}
