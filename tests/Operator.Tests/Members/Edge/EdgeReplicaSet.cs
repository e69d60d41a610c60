using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Entities;
using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Server;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Members.Connection;
using HipaaMongo.Operator.Tests.Baseline;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Tests.Members.Edge;

/// <summary>
/// In-process mongod simulators on their own 127.0.0.x addresses (one per "pod IP"), each serving a certificate for
/// its pod DNS name, with x.509 cluster auth, authorization on and the localhost exception off from the first start.
/// </summary>
internal sealed class EdgeReplicaSet : IAsyncDisposable
{
    // 127.0.x.y: LocalCluster's simulated pods take addresses in 127.N.0.0/16 with N >= 1, so this range is free here.
    private static int _nextAddress = Random.Shared.Next(0, 100);
    private readonly List<IMongoClient> _clients = [];
    private readonly SimulatorProfile _profile;
    private readonly string _security;
    private readonly string _auditLog;

    public EdgePki Pki { get; } = new();

    public MongodSimulatorHost?[] Hosts { get; private set; } = [];

    public List<MemberTarget> Members { get; } = [];

    /// <param name="edition">The simulated edition; Percona members are expected from a Percona model.</param>
    /// <param name="version">The simulated build (PSMDB "8.0.12-4" reports serverStatus.encryptionAtRest).</param>
    /// <param name="security">Extra "name: value" lines for every member's security section.</param>
    /// <param name="auditLog">Extra "name: value" lines for every member's auditLog section.</param>
    public EdgeReplicaSet(Edition edition = Edition.Enterprise, string version = "8.0.4", string[]? security = null, string[]? auditLog = null)
    {
        _profile = new SimulatorProfile(edition, version);
        _security = Lines(security);
        _auditLog = Lines(auditLog);
        var model = Models.Minimal() with { Edition = edition == Edition.Psmdb ? MongoEdition.Percona : MongoEdition.Enterprise };
        Expected = MemberExpectationsFactory.For(model,
            "CN=hipaa-mongo-operator,OU=operator,O=HipaaMongo", "CN=hipaa-mongo-verifier,OU=verifier,O=HipaaMongo");
    }

    /// <summary>The model's expectations; once started, its member hosts are the simulators' (their ports are random).</summary>
    public MemberExpectations Expected { get; private set; }

    public ReplicaSetTarget Target => new(Expected.ReplicaSetName, Members);

    public X509Certificate2 MemberCertificate { get; private set; } = null!;

    public MemberCredentials Credentials => new(new X509Certificate2Collection(Pki.Ca), Pki.Operator, Pki.Verifier, MemberCertificate);

    public static MemberClientOptions FastOptions { get; } = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(3),
        ServerSelectionTimeout = TimeSpan.FromSeconds(3),
        SocketTimeout = TimeSpan.FromSeconds(10),
        PrimaryWait = TimeSpan.FromSeconds(20),
    };

    public string AuditFile(int i) => Path.Combine(Pki.Dir, $"audit-{i}.json");

    /// <summary>Starts <paramref name="count"/> members; <paramref name="certificateFor"/> may replace a member's served certificate.</summary>
    public async Task StartAsync(int count = 3, Func<int, string, X509Certificate2?>? certificateFor = null)
    {
        var first = Interlocked.Add(ref _nextAddress, count) - count;
        Hosts = new MongodSimulatorHost?[count];
        for (var i = 0; i < count; i++)
        {
            var n = first + i;
            var ip = IPAddress.Parse($"127.0.{n / 200}.{(n % 200) + 20}");
            var port = FreePort(ip);
            var dns = $"phi-db-{i}.phi-db-hs.clinical.svc.cluster.local";
            var cert = certificateFor?.Invoke(i, dns) ?? Pki.WriteMemberPem(i, dns, DateTimeOffset.UtcNow.AddDays(20));
            if (i == 0)
            {
                MemberCertificate = cert;
            }

            Members.Add(new MemberTarget($"phi-db-{i}", ip.ToString(), port, dns));
            Hosts[i] = await StartHostAsync(i, ip, port, dns);
        }

        Expected = Expected with { MemberHosts = [.. Members.Select(m => m.AdvertisedHost)] };
    }

    public async Task StopAsync(int i)
    {
        await Hosts[i]!.DisposeAsync();
        Hosts[i] = null;
    }

    /// <summary>A plain driver client (not the code under test) trusting the test CA, for setup and independent reads.</summary>
    public IMongoClient Client(int member, X509Certificate2 cert, MongoCredential? credential = null)
    {
        var m = Members[member];
        var settings = new MongoClientSettings
        {
            Server = new MongoServerAddress(m.Host, m.Port),
            DirectConnection = true,
            UseTls = true,
            RetryReads = false,
            RetryWrites = false,
            ServerSelectionTimeout = TimeSpan.FromSeconds(5),
            Credential = credential ?? MongoCredential.CreateMongoX509Credential(),
            SslSettings = new SslSettings { ClientCertificates = [cert], ServerCertificateValidationCallback = (_, _, _, _) => true },
        };
        var client = new MongoClient(settings);
        _clients.Add(client);
        return client;
    }

    public static Task<BsonDocument> Admin(IMongoClient client, BsonDocument command, string db = "admin") =>
        client.GetDatabase(db).RunCommandAsync<BsonDocument>(command, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>The audit events of one member with the given atype (JSON lines in the mongo audit schema).</summary>
    public int AuditCount(int member, params string[] atypes) =>
        AuditEvents(member).Count(d => atypes.Contains(d["atype"].AsString));

    public IReadOnlyList<BsonDocument> AuditEvents(int member)
    {
        using var stream = new FileStream(AuditFile(member), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(BsonDocument.Parse)];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }

        foreach (var h in Hosts.OfType<MongodSimulatorHost>())
        {
            await h.DisposeAsync();
        }

        Pki.Dispose();
    }

    private async Task<MongodSimulatorHost> StartHostAsync(int i, IPAddress ip, int port, string dns)
    {
        var profile = _profile;
        var yaml = $"""
            net:
              port: {port}
              bindIp: {ip}
              tls:
                mode: requireTLS
                certificateKeyFile: {Pki.MemberPemFile(i)}
                CAFile: {Pki.CaFile}
                allowConnectionsWithoutCertificates: false
                disabledProtocols: TLS1_0,TLS1_1
            security:
              authorization: enabled
              clusterAuthMode: x509
            {_security}
            replication:
              replSetName: {Expected.ReplicaSetName}
            setParameter:
              enableLocalhostAuthBypass: false
            auditLog:
              destination: file
              format: JSON
              path: {AuditFile(i)}
            {_auditLog}
            """;
        var configPath = Path.Combine(Pki.Dir, $"mongod-{i}.conf");
        await File.WriteAllTextAsync(configPath, yaml);
        return await MongodSimulatorHost.StartAsync(new MongodSimulatorOptions
        {
            Config = MongodConfig.Load(configPath, profile),
            Profile = profile,
            BindAddress = ip,
            Port = port,
            AdvertisedHosts = [$"{dns}:{port}"],
        });
    }

    // Indented under their section; an empty line is valid YAML when there is nothing to add.
    private static string Lines(string[]? lines) => string.Join("\n", (lines ?? []).Select(l => "  " + l));

    private static int FreePort(IPAddress ip)
    {
        var l = new TcpListener(ip, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
