using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>Starts simulators from mongod.conf text and builds real MongoDB.Driver clients against them.</summary>
public sealed class SimHarness : IAsyncDisposable
{
    private readonly List<MongodSimulatorHost> _hosts = [];
    private readonly List<IMongoClient> _clients = [];

    public TestPki Pki { get; } = new();

    /// <summary>The baseline TLS section of secure-baseline.md 2.7 with this PKI's files.</summary>
    public string TlsYaml(string mode = "requireTLS", string disabledProtocols = "TLS1_0,TLS1_1") => $"""
        net:
          port: 27017
          bindIp: 127.0.0.1
          tls:
            mode: {mode}
            certificateKeyFile: {Pki.ServerPemFile}
            CAFile: {Pki.CaFile}
            allowConnectionsWithoutCertificates: false
            disabledProtocols: {disabledProtocols}
        """;

    // Each harness is its own network: parallel test classes name their members alike (m0.rs0.test:27017), and on a
    // shared one a member would heartbeat, and take the config of, another test's member of the same name.
    private readonly SimulatedNetwork _network = new();

    public static readonly SimUserSpec Admin = new("admin", "admin", "admin-password-1", [new RoleRef("root", "admin")]);

    public static SimUserSpec OperatorX509 { get; } = new("$external", TestPki.OperatorSubject, null,
        [new RoleRef("clusterAdmin", "admin"), new RoleRef("userAdminAnyDatabase", "admin")]);

    public Task<MongodSimulatorHost> StartAsync(
        string yaml, IReadOnlyList<SimUserSpec>? users = null, Edition edition = Edition.Enterprise, string version = "8.0.4") =>
        StartAsync(yaml, new Member(), users, edition, version);

    /// <summary>How one member runs: the name it advertises (members[].host), its clock, how long its initial sync takes, the ldap.conf its libldap reads.</summary>
    public sealed record Member(string? Advertised = null, TimeProvider? Clock = null, TimeSpan InitialSyncDelay = default, string? LdapConf = null);

    public async Task<MongodSimulatorHost> StartAsync(
        string yaml, Member member, IReadOnlyList<SimUserSpec>? users = null, Edition edition = Edition.Enterprise, string version = "8.0.4")
    {
        var profile = new SimulatorProfile(edition, version);
        var configPath = Path.Combine(Pki.Dir, $"mongod-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(configPath, yaml);
        var host = await MongodSimulatorHost.StartAsync(new MongodSimulatorOptions
        {
            Config = MongodConfig.Load(configPath, profile),
            Profile = profile,
            Port = 0,
            BindAddress = IPAddress.Loopback,
            InitialUsers = users ?? [Admin, OperatorX509],
            AdvertisedHosts = member.Advertised is null ? [] : [member.Advertised],
            Clock = member.Clock ?? TimeProvider.System,
            InitialSyncDelay = member.InitialSyncDelay,
            LdapConfFile = member.LdapConf,
            Network = _network,
        });
        _hosts.Add(host);
        return host;
    }

    /// <summary>The names the three members of rs0 advertise (members[].host), by ordinal.</summary>
    public static readonly string[] SetNames = ["m0.rs0.test:27017", "m1.rs0.test:27017", "m2.rs0.test:27017"];

    /// <summary>mongod.conf of a member of rs0: TLS, authorization and x.509 cluster auth, then <paramref name="extra"/> YAML.</summary>
    public string ReplicaSetYaml(string extra = "") =>
        TlsYaml() + "\nsecurity:\n  authorization: enabled\n  clusterAuthMode: x509\nreplication:\n  replSetName: rs0\n" + extra;

    /// <summary>
    /// The three-member set the replication tests start from: each member started by <paramref name="start"/> (by
    /// default <see cref="ReplicaSetYaml"/> on <paramref name="clock"/>), replSetInitiate on m0 with
    /// <see cref="SetNames"/>, then <paramref name="settle"/> of the clock in 500 ms steps for the first election.
    /// </summary>
    public async Task<MongodSimulatorHost[]> StartThreeMemberSetAsync(ManualClock clock, TimeSpan settle, Func<int, Task<MongodSimulatorHost>>? start = null)
    {
        start ??= i => StartAsync(ReplicaSetYaml(), new Member(SetNames[i], clock));
        var hosts = new[] { await start(0), await start(1), await start(2) };
        var members = new BsonArray(SetNames.Select((n, i) => new BsonDocument { { "_id", i }, { "host", n } }));
        await RunAdmin(ScramClient(hosts[0], "admin", "admin-password-1"),
            new BsonDocument("replSetInitiate", new BsonDocument { { "_id", "rs0" }, { "members", members } }));
        if (settle > TimeSpan.Zero)
        {
            clock.AdvanceInSteps(settle, TimeSpan.FromMilliseconds(500));
        }
        return hosts;
    }

    /// <summary>
    /// A direct TLS client that trusts only the test CA; optional client certificate and credential. A distinct
    /// <paramref name="appName"/> gives the client its own connection pool (the driver shares one between clients of
    /// equal settings), so its first command is a new login.
    /// </summary>
    public IMongoClient Client(MongodSimulatorHost host, X509Certificate2? clientCert, MongoCredential? credential, bool tls = true, int timeoutMs = 5000,
        string? appName = null)
    {
        var settings = MongoClientSettings.FromConnectionString(
            $"mongodb://localhost:{host.Port}/?directConnection=true&tls={(tls ? "true" : "false")}");
        settings.ApplicationName = appName;
        settings.ServerSelectionTimeout = TimeSpan.FromMilliseconds(timeoutMs);
        settings.ConnectTimeout = TimeSpan.FromMilliseconds(timeoutMs);
        if (tls)
        {
            settings.SslSettings = new SslSettings
            {
                ClientCertificates = clientCert is null ? [] : [clientCert],
                ServerCertificateValidationCallback = (_, cert, _, _) => cert is not null && ChainsToCa(cert),
            };
        }

        settings.Credential = credential;
        var client = new MongoClient(settings);
        _clients.Add(client);
        return client;
    }

    public IMongoClient X509Client(MongodSimulatorHost host, X509Certificate2? cert = null) =>
        Client(host, cert ?? Pki.Operator, MongoCredential.CreateMongoX509Credential());

    public IMongoClient ScramClient(MongodSimulatorHost host, string user, string password, string db = "admin") =>
        Client(host, Pki.Operator, MongoCredential.CreateCredential(db, user, password));

    public static Task<BsonDocument> RunAdmin(IMongoClient client, BsonDocument command) =>
        client.GetDatabase("admin").RunCommandAsync<BsonDocument>(command, cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }

        foreach (var h in _hosts)
        {
            await h.DisposeAsync();
        }

        Pki.Dispose();
    }

    private bool ChainsToCa(X509Certificate cert)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Pki.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(cert.GetRawCertData()));
    }
}
