using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Auth.Ldap;
using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Encryption;
using HipaaMongo.MongodSimulator.Storage;
using HipaaMongo.MongodSimulator.Tls;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// A running simulated mongod: listener, connections, state. Start with <see cref="StartAsync"/>; the handle gives the
/// endpoint, an out-of-band drift API (<see cref="Drift"/>, <see cref="RestartAsync"/>) and DisposeAsync.
/// </summary>
public sealed class MongodSimulatorHost : IAsyncDisposable
{
    private readonly MongodSimulatorOptions _options;
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();
    private Task _acceptLoop = Task.CompletedTask;
    private ServerState _state = null!;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _keyMonitor = Task.CompletedTask;

    private MongodSimulatorHost(MongodSimulatorOptions options) => _options = options;

    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    public int Port => EndPoint.Port;

    /// <summary>"host:port" that hello.me reports and that members[].host should use.</summary>
    public string HostAndPort => _state.Repl.SelfNames[0];

    public ServerState State => _state;

    /// <summary>The "global" log getLog returns (kept across <see cref="RestartAsync"/>, a simplification: a new process starts a new one).</summary>
    public RamLog GlobalLog { get; } = new();

    public SimulatorDrift Drift => new(this);

    public SimulatorFaults Faults => new(this);

    /// <summary>
    /// Completes with the exit code when the server shuts itself down (its KMIP master key no longer Active); never
    /// completes for a stop from outside (DisposeAsync, a kill).
    /// </summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>
    /// Validates like mongod (certificates, parameters), obtains the KMIP master key when the config asks for one,
    /// binds, and starts accepting.
    /// </summary>
    public static async Task<MongodSimulatorHost> StartAsync(MongodSimulatorOptions options, CancellationToken ct = default)
    {
        var host = new MongodSimulatorHost(options);
        var masterKey = await host.ObtainMasterKeyAsync(options.Config, ct);
        await host.ValidateLdapAsync(options.Config, ct);
        host.Start(options.Config, options.Port ?? options.Config.Port, null, null);
        host.UseMasterKey(options.Config, masterKey);
        ct.ThrowIfCancellationRequested();
        return host;
    }

    // The encrypted storage engine opens before the server listens: a refused key refuses the start.
    private async Task<(KmipSettings Settings, KmipConnector Kmip, string KeyId)?> ObtainMasterKeyAsync(MongodConfig config, CancellationToken ct)
    {
        if (_options.Kmip != KmipMode.Dial || KmipSettings.From(config) is not { } settings)
        {
            return null;
        }

        var kmip = new KmipConnector(settings, _options.KmipResolver);
        if (settings.RotateMasterKey)
        {
            var rotated = await MasterKeyRotation.RotateAsync(settings, _options.Profile.Edition != Edition.Psmdb, KeyIdFile.Read(config.DbPath),
                kmip, LogEncryption, ct);
            KeyIdFile.Write(config.DbPath, rotated);
            Log("CONTROL", "Shutting down", new BsonDocument("exitCode", 0), "I", 23138);
            throw new MongodConfigException(MasterKeyRotation.Completed, 0);
        }

        var keyId = await MasterKeyProvider.ObtainAsync(settings, _options.Profile.Edition != Edition.Psmdb,
            KeyIdFile.Read(config.DbPath), kmip, LogEncryption, ct);
        return (settings, kmip, keyId);
    }

    private LdapDirectory? LdapDirectoryFor(MongodConfig config, ParameterStore parameters)
    {
        if (_options.Ldap != LdapMode.Dial || LdapSettings.From(config, parameters, LdapClientConf.Default) is null)
        {
            return null;
        }

        var client = _options.LdapClient ?? LdapClientConf.Load(_options.LdapConfFile);
        return new LdapDirectory(() => LdapSettings.From(config, parameters, client), _options.LdapResolver);
    }

    // PSMDB's ldapServerConfigValidationRegisterer: with validateLDAPServerConfig (default true), a bind as the query
    // user must succeed before the server starts (ldap_manager_impl.cpp); a failure refuses the start.
    private async Task ValidateLdapAsync(MongodConfig config, CancellationToken ct)
    {
        if (LdapDirectoryFor(config, new ParameterStore(config, _options.Profile)) is not { } directory)
        {
            return;
        }

        try
        {
            await directory.ValidateServerConfigAsync(ct);
        }
        catch (LdapException e)
        {
            Log("ACCESS", "LDAP server config validation failed", new BsonDocument("error", e.Message), "E");
            throw new MongodConfigException($"LDAPLibraryError: {e.Message}", 1);
        }
    }

    private void UseMasterKey(MongodConfig config, (KmipSettings Settings, KmipConnector Kmip, string KeyId)? key)
    {
        if (key is not { } k)
        {
            return;
        }

        _state.MasterKeyId = k.KeyId;
        KeyIdFile.Write(config.DbPath, k.KeyId);
        if (k.Settings.ActivateKeys && k.Settings.KeyStatePollingSeconds > 0)
        {
            var monitor = new KeyStateMonitor(k.Kmip, k.KeyId, LogEncryption);
            var token = _stop.Token;
            _keyMonitor = Task.Run(async () =>
            {
                if (await monitor.RunAsync(TimeSpan.FromSeconds(k.Settings.KeyStatePollingSeconds), _options.Clock, token) is { } exit)
                {
                    await StopAsync();
                    _exited.TrySetResult(exit);
                }
            }, CancellationToken.None);
        }
    }

    private void LogEncryption(string severity, int id, string message, BsonDocument attributes) =>
        Log("STORAGE", message, attributes, severity, id);

    /// <summary>
    /// Out of band: stops, then starts again on the same port with other options. Users and the replica-set config
    /// survive: with storage.dbPath they are read back from its files; without one they are carried over in memory.
    /// Runtime setParameter values do not survive (the config file's apply again), as in mongod.
    /// </summary>
    public async Task RestartAsync(MongodConfig config)
    {
        var users = _state.Users;
        var replConfig = _state.Repl.Config;
        var term = _state.Repl.Term;
        await StopAsync();
        _stop = new CancellationTokenSource();
        var masterKey = await ObtainMasterKeyAsync(config, CancellationToken.None);
        await ValidateLdapAsync(config, CancellationToken.None);
        Start(config, Port, users, replConfig is null ? null : (replConfig, term));
        UseMasterKey(config, masterKey);
    }

    /// <summary>
    /// Fault: the process dies without a clean shutdown (SIGKILL, OOM kill): connections drop, no shutdown is
    /// audited, and only what already reached storage.dbPath remains.
    /// </summary>
    public async Task KillAsync()
    {
        if (await StopListeningAsync())
        {
            _state.Repl.Network.Unregister(_state.Repl);
            _state.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _keyMonitor; // ends with the stop token; a self-shutdown in progress finishes first
        _stop.Dispose();
    }

    private void Start(MongodConfig config, int port, UserStore? users, (BsonDocument Config, long Term)? repl)
    {
        var certs = config.TlsMode == "disabled" && config.CertificateKeyFile is null
            ? null
            : (repl is null ? _options.Certificates : null) ?? ServerCertificates.Load(config.CertificateKeyFile!, config.CAFile, _options.Clock);
        var listener = new TcpListener(BindAddress(config), port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new MongodConfigException($"Failed to set up listener: {e.SocketErrorCode}", 48);
        }

        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        DataFiles? files;
        try
        {
            files = DataFiles.Open(config);
        }
        catch (MongodConfigException)
        {
            listener.Stop();
            throw;
        }

        var names = _options.AdvertisedHosts.Concat([$"localhost:{Port}", $"127.0.0.1:{Port}"]).Distinct().ToList();
        _state = new ServerState(config, _options.Profile, certs, names, _options.Clock, _options.Network) { GlobalLog = GlobalLog };
        _state.Ldap = LdapDirectoryFor(config, _state.Parameters);
        _state.Logger = (component, message, attributes, id) => Log(component, message, attributes, "I", id);
        try
        {
            LoadDurableState(files, users, repl);
        }
        catch (MongodConfigException)
        {
            listener.Stop(); // mongod exits before it listens: data files its binary cannot open
            _state.Dispose();
            throw;
        }

        _state.Repl.Network.Register(names, _state.Repl);
        _state.Repl.StartHeartbeats();
        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener, _stop.Token);
        _state.Audit.Write(_options.Profile.Edition == Edition.Psmdb ? "startupOptions" : "startup", EndPoint, null, [], [],
            new BsonDocument("options", config.RedactedReport()), 0);
        Log("NETWORK", "Waiting for connections", new BsonDocument { { "port", Port }, { "ssl", certs is null ? "off" : "on" } });
    }

    // storage.dbPath's files win; an empty dbPath (or none) starts from the users given (or carried over in memory).
    private void LoadDurableState(DataFiles? files, UserStore? users, (BsonDocument Config, long Term)? repl)
    {
        _state.Repl.InitialSyncDelay = _options.InitialSyncDelay;
        if (files?.Read() is { } catalog)
        {
            var binary = _options.Profile.VersionArray;
            FcvStartupCheck.Check(catalog, binary[0], binary[1]);
            _state.Users = new UserStore();
            DurableState.Apply(catalog, _state);
        }
        else
        {
            _state.Users = users ?? InitialUsers(_state);
            if (repl is { } r)
            {
                _state.Repl.AcceptConfig(r.Config, r.Term);
            }
        }

        _state.DataFiles = files;
        _state.Persist();
    }

    private IPAddress BindAddress(MongodConfig config)
    {
        if (_options.BindAddress is { } explicitAddress)
        {
            return explicitAddress;
        }

        if (config.BindIpAll)
        {
            return IPAddress.Any;
        }

        var first = config.BindIp.Split(',')[0].Trim();
        return first == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(first, out var ip) ? ip
            : throw new MongodConfigException($"Unable to bind to {first}: the simulator binds IP addresses only", 48);
    }

    private UserStore InitialUsers(ServerState state)
    {
        var store = new UserStore();
        foreach (var spec in _options.InitialUsers)
        {
            store.AddUser(SimulatorDrift.ToUser(spec, state.Parameters.GetInt("scramSHA256IterationCount")));
        }

        return store;
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var task = ConnectionHandler.RunAsync(() => _state, client, ct);
            _connections[task] = true;
            _ = task.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task StopAsync()
    {
        if (!await StopListeningAsync())
        {
            return;
        }

        await Task.WhenAll(_connections.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _state.Repl.Network.Unregister(_state.Repl);
        _state.Audit.Write("shutdown", EndPoint, null, [], [], [], 0);
        _state.Dispose();
    }

    // The part a kill and a clean shutdown share: no new connections, the accept loop ended. False when not running.
    private async Task<bool> StopListeningAsync()
    {
        // The key-state monitor may stop the server while it is being disposed: only one of them stops it.
        if (Interlocked.Exchange(ref _listener, null) is not { } listener)
        {
            return false;
        }

        await _stop.CancelAsync();
        listener.Stop();
        await _acceptLoop;
        return true;
    }

    internal void Log(string component, string message, BsonDocument attr, string severity = "I", int? id = null)
    {
        var line = new BsonDocument
        {
            { "t", new BsonDocument("$date", _options.Clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture)) },
            { "s", severity }, { "c", component },
        };
        if (id is { } logId)
        {
            line["id"] = logId;
        }

        line.AddRange(new BsonDocument { { "msg", message }, { "attr", attr } });
        var json = line.ToJson();
        GlobalLog.Write(json);
        _options.Log?.WriteLine(json);
    }
}
