using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.ClusterSimulations.Pods.Mongod;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.ClusterSimulations.Tests.Mongod;

/// <summary>A mongod pod, set up as the kubelet would mount it, runs the simulator on its own 127.x address and port 27017.</summary>
public sealed class MongodPodWorkloadTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("hm-pod-test-").FullName;
    private MongodPodWorkload? _workload;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_workload is not null)
        {
            await _workload.DisposeAsync();
        }
        Directory.Delete(_root, recursive: true);
    }

    private MongodPodWorkload Workload(IPodVolumeSource source) =>
        _workload = new MongodPodWorkload(source, NullLogger<MongodPodWorkload>.Instance, new MongodWorkloadOptions { RootDirectory = _root });

    [Fact]
    public async Task Mongod_pod_answers_a_driver_hello_over_tls_on_its_pod_ip()
    {
        const string ip = "127.201.0.1";
        var pki = new MongodPodFixture(ip);
        var workload = Workload(pki.Source(MongodPodFixture.ValidConf));

        var failure = await workload.StartAsync(MongodPodFixture.Pod("uid-ok"), ip, Ct);

        Assert.Null(failure);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(ip), 27017), workload.PodEndPointOf("uid-ok"));
        Assert.Equal(IPAddress.Parse(ip), workload.HostOf("uid-ok")!.EndPoint.Address); // mongod itself sits behind the pod's port
        var hello = await HelloAsync(ip, pki);
        Assert.Equal(1.0, hello["ok"].ToDouble());
        Assert.True(hello["isreplicaset"].AsBoolean); // replSetName rs0 from the mounted mongod.conf, not yet initiated
        Assert.Equal(25, hello["maxWireVersion"].AsInt32); // 8.0 from the image tag
        // auditLog.path /data/db/audit/audit.json landed on the claim's directory: the mount path was mapped.
        var audit = Path.Combine(_root, "claims", MongodPodFixture.Ns, "data-rs0-0", "audit", "audit.json");
        Assert.Contains("\"startup\"", await File.ReadAllTextAsync(audit, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replacement_pod_on_the_same_claim_starts_with_the_config_and_users_its_predecessor_wrote()
    {
        const string ip = "127.201.0.9";
        var pki = new MongodPodFixture(ip);
        var workload = Workload(pki.Source(MongodPodFixture.ValidConf));
        var first = MongodPodFixture.Pod("uid-before");
        Assert.Null(await workload.StartAsync(first, ip, Ct));
        var before = workload.HostOf("uid-before")!;
        before.State.Repl.Initiate(null);
        before.Drift.AddUser(new("$external", "CN=operator,OU=mongodb-rs0-operator,O=hipaa-mongo", null, [new("root", "admin")]));

        await workload.StopAsync(first, Ct); // the pod is deleted; its claim directory stays
        Assert.Null(await workload.StartAsync(MongodPodFixture.Pod("uid-after"), ip, Ct));
        var after = workload.HostOf("uid-after")!;

        Assert.Equal(before.State.Repl.Config!["settings"]["replicaSetId"], after.State.Repl.Config!["settings"]["replicaSetId"]);
        Assert.NotNull(after.State.Users.FindUser("$external", "CN=operator,OU=mongodb-rs0-operator,O=hipaa-mongo"));
        Assert.True(File.Exists(Path.Combine(_root, "claims", MongodPodFixture.Ns, "data-rs0-0", "simulator-catalog.bson")));
    }

    private const string KmipSection = """
        security:
          enableEncryption: true
          kmip:
            serverName: kmip.security.svc.cluster.local
            port: 5696
            serverCAFile: /etc/mongodb/tls/ca.crt
            clientCertificateFile: /etc/mongodb/tls/tls-combined.pem
        """;

    private static string WithKmip(string conf) =>
        conf.Replace("security:\n", KmipSection.Split('\n', 2)[0] + "\n" + KmipSection.Split('\n', 2)[1] + "\n", StringComparison.Ordinal);

    [Fact]
    public async Task A_member_whose_KMIP_server_does_not_answer_refuses_to_start_with_mongods_reason()
    {
        const string ip = "127.201.0.9";
        var pki = new MongodPodFixture(ip);
        // The cluster runs a KMIP server, but not under the name the member's config writes.
        _workload = new MongodPodWorkload(pki.Source(WithKmip(MongodPodFixture.ValidConf)), NullLogger<MongodPodWorkload>.Instance,
            new MongodWorkloadOptions { RootDirectory = _root, KmipServers = new Dictionary<string, IPEndPoint> { ["kmip.elsewhere"] = new(IPAddress.Loopback, 5696) } });

        var failure = await _workload.StartAsync(MongodPodFixture.Pod("uid-kmip"), ip, Ct);

        Assert.Equal("Data-at-Rest Encryption Error: saving the master key to the KMIP server failed: Can't connect to any of KMIP servers "
            + "specified in the configuration (KMIP server kmip.security.svc.cluster.local:5696: Name or service not known)", failure?.Message);
        Assert.False(failure!.Mount);
        await AssertRefusedAsync(ip);
    }

    [Fact]
    public async Task A_cluster_without_KMIP_servers_leaves_KMIP_unsimulated_and_the_member_reports_no_key()
    {
        const string ip = "127.201.0.10";
        var pki = new MongodPodFixture(ip);
        var workload = Workload(pki.Source(WithKmip(MongodPodFixture.ValidConf)));

        Assert.Null(await workload.StartAsync(MongodPodFixture.Pod("uid-nokmip"), ip, Ct));
        Assert.Null(workload.HostOf("uid-nokmip")!.State.MasterKeyId);
    }

    [Fact]
    public async Task Config_mongod_refuses_fails_the_start_with_the_reason()
    {
        const string ip = "127.201.0.2";
        var pki = new MongodPodFixture(ip);
        // x509 cluster authentication with TLS disabled: mongod refuses to start.
        var conf = MongodPodFixture.ValidConf.Replace("mode: requireTLS", "mode: disabled", StringComparison.Ordinal);
        var workload = Workload(pki.Source(conf));

        var failure = await workload.StartAsync(MongodPodFixture.Pod("uid-bad"), ip, Ct);

        Assert.Contains("need to enable TLS via the sslMode/tlsMode flag when using TLS-based clusterAuthMode", failure?.Message, StringComparison.Ordinal);
        Assert.False(failure!.Mount); // the container ran and exited: CrashLoopBackOff, not ContainerCreating
        Assert.Null(workload.HostOf("uid-bad"));
        await AssertRefusedAsync(ip);
    }

    [Fact]
    public async Task Missing_secret_fails_the_start_without_revealing_data()
    {
        const string ip = "127.201.0.3";
        var pki = new MongodPodFixture(ip);
        var source = new InMemoryVolumeSource(
            new() { [(MongodPodFixture.Ns, MongodPodFixture.ConfigMapName)] = new() { ["mongod.conf"] = "net:\n  port: 27017\n"u8.ToArray() } },
            []);
        var workload = Workload(source);

        var failure = await workload.StartAsync(MongodPodFixture.Pod("uid-nosecret"), ip, Ct);

        // The kubelet's wording: operationexecutor GenerateError("MountVolume.SetUp failed", err) around the secret
        // volume plugin's NotFound error, e.g. `MountVolume.SetUp failed for volume "tls" : secret "x" not found`.
        Assert.Equal($"MountVolume.SetUp failed for volume \"tls\" : secret \"{MongodPodFixture.TlsSecretName}\" not found", failure?.Message);
        Assert.True(failure!.Mount);
        Assert.NotNull(pki.MemberSecret);
    }

    [Fact]
    public async Task Stopping_the_pod_closes_the_listener_and_removes_its_files()
    {
        const string ip = "127.201.0.4";
        var pki = new MongodPodFixture(ip);
        var workload = Workload(pki.Source(MongodPodFixture.ValidConf));
        var pod = MongodPodFixture.Pod("uid-stop");
        Assert.Null(await workload.StartAsync(pod, ip, Ct));
        using (var probe = new TcpClient())
        {
            await probe.ConnectAsync(IPAddress.Parse(ip), 27017, Ct);
        }

        await workload.StopAsync(pod, Ct);

        Assert.Null(workload.HostOf("uid-stop"));
        await AssertRefusedAsync(ip);
        Assert.False(Directory.Exists(Path.Combine(_root, "pods", "uid-stop")));
    }

    [Fact]
    public async Task A_renewed_Secret_reaches_the_running_pods_files_for_rotateCertificates()
    {
        const string ip = "127.201.0.6";
        var pki = new MongodPodFixture(ip);
        var source = pki.Source(MongodPodFixture.ValidConf);
        var workload = Workload(source);
        Assert.Null(await workload.StartAsync(MongodPodFixture.Pod("uid-renew"), ip, Ct));
        var before = workload.HostOf("uid-renew")!.State.Certificates!.Server.SerialNumber;
        var renewed = new MongodPodFixture(ip).MemberSecret; // same CA name, new key and serial: only files change here
        source.Secrets[(MongodPodFixture.Ns, MongodPodFixture.TlsSecretName)] = renewed;

        await workload.SyncVolumesAsync(Ct);

        var file = Path.Combine(_root, "pods", "uid-renew", "volumes", "tls", "tls-combined.pem");
        Assert.Equal(renewed["tls-combined.pem"], await File.ReadAllBytesAsync(file, Ct));
        Assert.Equal(before, workload.HostOf("uid-renew")!.State.Certificates!.Server.SerialNumber); // mongod re-reads only when told
    }

    [Fact]
    public async Task A_second_pod_on_a_taken_address_fails_with_the_listener_error()
    {
        const string ip = "127.201.0.7";
        var pki = new MongodPodFixture(ip);
        var workload = Workload(pki.Source(MongodPodFixture.ValidConf));
        Assert.Null(await workload.StartAsync(MongodPodFixture.Pod("uid-first"), ip, Ct));

        var second = MongodPodFixture.Pod("uid-second");
        // its own claim: on the first pod's claim, mongod would stop earlier, at the dbPath's lock file
        second.Spec.Volumes.Single(v => v.Name == "data").PersistentVolumeClaim.ClaimName = "data-rs0-1";
        var failure = await workload.StartAsync(second, ip, Ct);

        Assert.Equal("Failed to set up listener: AddressAlreadyInUse", failure?.Message);
        Assert.NotNull(workload.HostOf("uid-first"));
    }

    [Fact]
    public async Task A_secret_without_a_listed_key_fails_the_mount_with_the_secret_plugins_words()
    {
        const string ip = "127.201.0.8";
        var pki = new MongodPodFixture(ip);
        var workload = Workload(pki.Source(MongodPodFixture.ValidConf));
        var pod = MongodPodFixture.Pod("uid-nokey");
        pod.Spec.Volumes.Single(v => v.Name == "tls").Secret.Items = [new V1KeyToPath { Key = "missing.pem", Path = "missing.pem" }];

        var failure = await workload.StartAsync(pod, ip, Ct);

        // pkg/volume/secret MakePayload: "references non-existent secret key: %s".
        Assert.Equal("MountVolume.SetUp failed for volume \"tls\" : references non-existent secret key: missing.pem", failure?.Message);
        Assert.True(failure!.Mount);
    }

    [Fact]
    public async Task A_hung_pod_keeps_its_port_open_but_stops_answering_until_released()
    {
        const string ip = "127.201.0.9";
        var pki = new MongodPodFixture(ip);
        var workload = Workload(pki.Source(MongodPodFixture.ValidConf));
        var pod = MongodPodFixture.Pod("uid-hang");
        Assert.Null(await workload.StartAsync(pod, ip, Ct));
        Assert.Equal(1.0, (await HelloAsync(ip, pki))["ok"].ToDouble());

        await workload.SetHungAsync(pod, true, Ct);

        Assert.False(workload.Answers(pod));
        using (var probe = new TcpClient())
        {
            await probe.ConnectAsync(IPAddress.Parse(ip), 27017, Ct); // the socket still accepts, as a frozen process's does
        }
        await Assert.ThrowsAsync<TimeoutException>(() => HelloAsync(ip, pki, TimeSpan.FromSeconds(2)));

        await workload.SetHungAsync(pod, false, Ct);

        Assert.True(workload.Answers(pod));
        Assert.Equal(1.0, (await HelloAsync(ip, pki))["ok"].ToDouble());
    }

    [Fact]
    public async Task Pods_without_a_mongod_image_start_without_a_simulator()
    {
        var workload = Workload(new InMemoryVolumeSource([], []));
        var pod = MongodPodFixture.Pod("uid-nginx", image: "nginx:1.27");

        Assert.Null(await workload.StartAsync(pod, "127.201.0.5", Ct));
        Assert.Null(workload.HostOf("uid-nginx"));
    }

    private static async Task AssertRefusedAsync(string ip)
    {
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(async () => await probe.ConnectAsync(IPAddress.Parse(ip), 27017, Ct));
    }

    private static async Task<BsonDocument> HelloAsync(string ip, MongodPodFixture pki, TimeSpan? timeout = null)
    {
        var settings = MongoClientSettings.FromConnectionString($"mongodb://{ip}:27017/?directConnection=true&tls=true");
        settings.ServerSelectionTimeout = timeout ?? TimeSpan.FromSeconds(20);
        settings.ConnectTimeout = timeout ?? TimeSpan.FromSeconds(20);
        settings.SslSettings = new SslSettings
        {
            ClientCertificates = [pki.ClientCertificate],
            ServerCertificateValidationCallback = (_, cert, _, errors) => ChainsToCa(cert, errors, pki.CaCertificate),
        };
        using var client = new MongoClient(settings);
        return await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: Ct);
    }

    // The server must present a certificate for the pod IP that chains to the test CA (no blanket "accept all").
    private static bool ChainsToCa(X509Certificate? cert, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (cert is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(cert));
    }
}
