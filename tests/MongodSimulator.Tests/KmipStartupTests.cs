using System.Net;
using HipaaMongo.Kmip;
using HipaaMongo.Kmip.Tests;
using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// The simulator obtains its master key from a real pykmip-server at start-up and watches its state, as PSMDB's
/// MasterKeyProvider and KeyStateMonitor do (docs/mongod-simulator.md, "Encryption at rest with KMIP").
/// </summary>
public sealed class KmipStartupTests(PyKmipServer kmip) : IClassFixture<PyKmipServer>, IAsyncLifetime
{
    // Writers lock the synchronized wrapper; readers take the same lock (TextWriter.Synchronized locks the wrapper).
    private readonly string _dir = Directory.CreateTempSubdirectory("mongodsim-kmip").FullName;
    private readonly List<MongodSimulatorHost> _hosts = [];
    private readonly StringWriter _log = new();
    private volatile bool _kmipReachable = true;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        Directory.Delete(_dir, recursive: true);
    }

    private TextWriter? _writer;

    private TextWriter Log => _writer ??= TextWriter.Synchronized(_log);

    private string LogText
    {
        get
        {
            lock (Log)
            {
                return _log.ToString();
            }
        }
    }

    private string ClientPem()
    {
        var path = Path.Combine(_dir, "kmip-client.pem");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, File.ReadAllText(kmip.Pki.ClientCertificateFile).TrimEnd() + "\n" + File.ReadAllText(kmip.Pki.ClientKeyFile));
        }
        return path;
    }

    private string DbPath(string name)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(path);
        return path;
    }

    private string Config(string dbPath, string extraKmip = "", int port = 0) => $"""
        net:
          bindIp: 127.0.0.1
        storage:
          dbPath: {dbPath}
        security:
          enableEncryption: true
          kmip:
            serverName: 127.0.0.1
            port: {(port == 0 ? kmip.Port : port)}
            serverCAFile: {kmip.Pki.CaFile}
            clientCertificateFile: {ClientPem()}
            connectRetries: 1
            connectTimeoutMS: 2000
        {extraKmip}
        """;

    private async Task<MongodSimulatorHost> StartAsync(string yaml, Edition edition = Edition.Psmdb, bool rotateFlag = false)
    {
        var profile = new SimulatorProfile(edition, edition == Edition.Psmdb ? "8.0.12-4" : "8.0.4");
        var host = await MongodSimulatorHost.StartAsync(new MongodSimulatorOptions
        {
            Config = MongodConfig.Parse(yaml, profile, null, rotateFlag ? ["mongod", "--kmipRotateMasterKey"] : null),
            Profile = profile,
            Port = 0,
            Log = Log,
            KmipResolver = (_, port) => _kmipReachable ? new IPEndPoint(IPAddress.Loopback, port) : null,
        }, TestContext.Current.CancellationToken);
        _hosts.Add(host);
        return host;
    }

    private KmipClient Client() => new(new Kmip.Transport.KmipTlsOptions
    {
        Host = "127.0.0.1",
        Port = kmip.Port,
        ClientCertificate = kmip.Pki.ClientWithKey(),
        TrustedCas = [kmip.Pki.Ca],
    });

    private static async Task<BsonDocument> ServerStatusAsync(MongodSimulatorHost host)
    {
        var client = new MongoClient($"mongodb://127.0.0.1:{host.Port}/?directConnection=true&serverSelectionTimeoutMS=5000");
        return await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("serverStatus", 1));
    }

    [Fact]
    public async Task First_start_registers_an_active_key_reports_it_and_a_restart_reads_the_same_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var dbPath = DbPath("first");
        var host = await StartAsync(Config(dbPath));

        var keyId = host.State.MasterKeyId;
        Assert.False(string.IsNullOrEmpty(keyId));
        Assert.Equal(KeyState.Active, await Client().GetStateAsync(keyId!, ct));
        Assert.Equal(256, (await Client().GetSymmetricKeyAsync(keyId!, ct)).LengthBits);
        var section = (await ServerStatusAsync(host))["encryptionAtRest"].AsBsonDocument;
        Assert.Equal(new BsonDocument("kmip", new BsonDocument("keyId", keyId)), section["encryptionKeyId"]);
        Assert.Contains("Master encryption key has been created on the key management facility", LogText);

        await host.DisposeAsync();
        var again = await StartAsync(Config(dbPath));
        Assert.Equal(keyId, again.State.MasterKeyId);
        Assert.Contains("Master encryption key has been read from the key management facility.", LogText);
    }

    [Fact]
    public async Task A_key_identifier_other_than_the_one_the_data_was_encrypted_with_refuses_the_start()
    {
        var dbPath = DbPath("mismatch");
        var host = await StartAsync(Config(dbPath));
        await host.DisposeAsync();
        var other = await Client().CreateAes256KeyAsync(cancellationToken: TestContext.Current.CancellationToken);
        await Client().ActivateAsync(other, TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<MongodConfigException>(() => StartAsync(Config(dbPath, $"    keyIdentifier: \"{other}\"")));

        Assert.Contains("KMIP keyIdentifier is not equal to that the system is already configured with", e.Message);
        Assert.Equal(1, e.ExitCode);
    }

    [Fact]
    public async Task A_configured_key_that_is_absent_or_not_active_refuses_the_start()
    {
        var ct = TestContext.Current.CancellationToken;
        var preActive = await Client().CreateAes256KeyAsync(cancellationToken: ct);

        var absent = await Assert.ThrowsAsync<MongodConfigException>(() => StartAsync(Config(DbPath("absent"), "    keyIdentifier: \"999999\"")));
        var inactive = await Assert.ThrowsAsync<MongodConfigException>(() => StartAsync(Config(DbPath("preactive"), $"    keyIdentifier: \"{preActive}\"")));

        Assert.Contains("Cannot start. Master encryption key is absent on the key management facility.", absent.Message);
        Assert.Contains("Master encryption key is not in the active state on the key management facility.", inactive.Message);
        Assert.Contains("pre-active", inactive.Message);
        Assert.Contains("\"F\"", LogText);
    }

    [Fact]
    public async Task No_server_answering_within_the_retries_refuses_the_start_and_nothing_listens()
    {
        var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var e = await Assert.ThrowsAsync<MongodConfigException>(() => StartAsync(Config(DbPath("down"), port: port)));

        Assert.Contains("saving the master key to the KMIP server failed: Can't connect to any of KMIP servers specified in the configuration", e.Message);
        Assert.Empty(_hosts);
    }

    [Fact]
    public async Task A_key_deactivated_on_the_server_shuts_the_member_down_with_percona_exit_code()
    {
        var ct = TestContext.Current.CancellationToken;
        var host = await StartAsync(Config(DbPath("revoke"), "    keyStatePollingSeconds: 1"));

        await Client().RevokeAsync(host.State.MasterKeyId!, RevocationReasonCode.CessationOfOperation, cancellationToken: ct);

        Assert.Equal(1001, await host.Exited.WaitAsync(TimeSpan.FromSeconds(60), ct));
        Assert.Contains("Master encryption key is not in the active state on the key management facility.", LogText);
        Assert.Contains("deactivated", LogText);
    }

    [Fact]
    public async Task An_unreachable_server_while_running_is_logged_and_the_member_keeps_running()
    {
        var ct = TestContext.Current.CancellationToken;
        var host = await StartAsync(Config(DbPath("outage"), "    keyStatePollingSeconds: 1"));

        _kmipReachable = false;
        while (!LogText.Contains("Data-at-Rest Encryption Error", StringComparison.Ordinal))
        {
            await Task.Delay(100, ct);
        }

        Assert.False(host.Exited.IsCompleted);
        Assert.True((await ServerStatusAsync(host)).Contains("encryptionAtRest"));
        // A client sees the outage as mongod shows it: the logged line in getLog's "global" RamLog.
        var client = new MongoClient($"mongodb://127.0.0.1:{host.Port}/?directConnection=true&serverSelectionTimeoutMS=5000");
        var log = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("getLog", "global"), cancellationToken: ct);
        Assert.Contains(log["log"].AsBsonArray, l => BsonDocument.Parse(l.AsString).GetValue("id", 0) == 29123);
    }

    [Fact]
    public async Task Enterprise_creates_its_key_on_the_server_and_reports_no_encryptionAtRest_section()
    {
        var host = await StartAsync(Config(DbPath("enterprise")), Edition.Enterprise);

        Assert.Equal(KeyState.Active, await Client().GetStateAsync(host.State.MasterKeyId!, TestContext.Current.CancellationToken));
        Assert.False((await ServerStatusAsync(host)).Contains("encryptionAtRest"));
    }

    // A start with rotateMasterKey re-wraps the data files under a new key and exits 0; the next start runs on it.
    [Theory]
    [InlineData(Edition.Psmdb, "    rotateMasterKey: true", false)]
    [InlineData(Edition.Enterprise, "", true)]
    public async Task A_start_with_rotation_moves_the_data_files_to_a_new_active_key_and_exits_with_code_0(Edition edition, string option, bool flag)
    {
        var ct = TestContext.Current.CancellationToken;
        var dbPath = DbPath($"rotate-{edition}");
        var first = await StartAsync(Config(dbPath), edition);
        var old = first.State.MasterKeyId!;
        await first.DisposeAsync();

        var refused = await Assert.ThrowsAsync<MongodConfigException>(() => StartAsync(Config(dbPath, option), edition, flag));
        Assert.Equal(0, refused.ExitCode);
        Assert.Contains("Rotated master encryption key", LogText);
        Assert.Contains(@"""exitCode"" : 0", LogText);

        var again = await StartAsync(Config(dbPath), edition);
        var rotated = again.State.MasterKeyId!;
        Assert.NotEqual(old, rotated);
        Assert.Equal(KeyState.Active, await Client().GetStateAsync(rotated, ct));
        Assert.Equal(KeyState.Active, await Client().GetStateAsync(old, ct)); // mongod revokes nothing: the old key is the operator's to retire
        if (edition == Edition.Psmdb)
        {
            var section = (await ServerStatusAsync(again))["encryptionAtRest"].AsBsonDocument;
            Assert.Equal(new BsonDocument("kmip", new BsonDocument("keyId", rotated)), section["encryptionKeyId"]);
        }
    }

    [Fact]
    public async Task A_rotation_to_a_named_key_that_is_not_active_is_refused_and_the_data_files_keep_their_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var dbPath = DbPath("rotate-preactive");
        var first = await StartAsync(Config(dbPath));
        var old = first.State.MasterKeyId!;
        await first.DisposeAsync();
        var preActive = await Client().CreateAes256KeyAsync(cancellationToken: ct);

        var refused = await Assert.ThrowsAsync<MongodConfigException>(() =>
            StartAsync(Config(dbPath, $"    rotateMasterKey: true\n    activateKeys: true\n    keyIdentifier: \"{preActive}\"")));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Can't rotate master encryption key", refused.Message);
        Assert.Contains("not in the active state", refused.Message);

        Assert.Equal(old, (await StartAsync(Config(dbPath))).State.MasterKeyId);
    }

    [Fact]
    public async Task A_rotation_with_no_kmip_server_answering_is_refused_with_mongods_reason()
    {
        var dbPath = DbPath("rotate-outage");
        var first = await StartAsync(Config(dbPath));
        var old = first.State.MasterKeyId!;
        await first.DisposeAsync();

        _kmipReachable = false;
        var refused = await Assert.ThrowsAsync<MongodConfigException>(() => StartAsync(Config(dbPath, "    rotateMasterKey: true")));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Can't connect to any of KMIP servers", refused.Message);

        _kmipReachable = true;
        Assert.Equal(old, (await StartAsync(Config(dbPath))).State.MasterKeyId);
    }
}
