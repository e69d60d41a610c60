using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>The real mongosh (npm, installed by scripts/install-mongosh.sh) against the simulator (doc section 9).</summary>
public sealed class MongoshConformanceTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Mongosh_connects_with_tls_and_x509_and_reads_the_documented_shapes()
    {
        var host = await StartAsync();
        const string script = """
            const a = db.getSiblingDB('admin');
            print(JSON.stringify({
              hello: db.hello().ok,
              user: a.runCommand({ connectionStatus: 1 }).authInfo.authenticatedUsers[0],
              tlsMode: a.runCommand({ getParameter: 1, tlsMode: 1 }).tlsMode,
              parsedMode: a.runCommand({ getCmdLineOpts: 1 }).parsed.net.tls.mode
            }));
            """;

        var output = await MongoshAsync(host, script, "--authenticationMechanism", "MONGODB-X509", "--authenticationDatabase", "$external");

        var doc = BsonDocument.Parse(LastLine(output));
        Assert.Equal(1, doc["hello"].ToInt32());
        Assert.Equal(new BsonDocument { { "user", TestPki.OperatorSubject }, { "db", "$external" } }, doc["user"]);
        Assert.Equal("requireTLS", doc["tlsMode"].AsString);
        Assert.Equal("requireTLS", doc["parsedMode"].AsString);
    }

    [Fact]
    public async Task Mongosh_authenticates_with_scram_sha_256_and_sees_error_codes()
    {
        var host = await StartAsync();
        const string script = """
            const a = db.getSiblingDB('admin');
            let code = null, codeName = null;
            try { a.runCommand({ setParameter: 1, tlsMode: 'preferTLS' }); } catch (e) { code = e.code; codeName = e.codeName; }
            print(JSON.stringify({ code, codeName, user: a.runCommand({ connectionStatus: 1 }).authInfo.authenticatedUsers[0].user }));
            """;

        var output = await MongoshAsync(host, script, "--authenticationMechanism", "SCRAM-SHA-256",
            "--authenticationDatabase", "admin", "-u", "admin", "-p", "admin-password-1");

        var doc = BsonDocument.Parse(LastLine(output));
        Assert.Equal((2, "BadValue"), (doc["code"].ToInt32(), doc["codeName"].AsString));
        Assert.Equal("admin", doc["user"].AsString);
    }

    [Fact]
    public async Task Mongosh_crud_helpers_insert_find_update_delete_and_count()
    {
        var host = await StartAsync();
        const string script = """
            const c = db.getSiblingDB('clinic').patients;
            c.insertOne({ _id: 1, name: 'Ada', age: 36 });
            c.insertMany([{ _id: 2, name: 'Ben', age: 52 }, { _id: 3, name: 'Cy', age: 17 }]);
            const older = c.find({ age: { $gte: 30 } }, { name: 1, _id: 0 }).sort({ age: -1 }).limit(5).toArray().map(d => d.name);
            const upd = c.updateOne({ _id: 3 }, { $set: { ward: 'A' }, $inc: { age: 1 } });
            const del = c.deleteOne({ name: 'Ben' });
            let dup = null;
            try { c.insertOne({ _id: 1 }); } catch (e) { dup = e.code; }
            print(JSON.stringify({ older, modified: upd.modifiedCount, deleted: del.deletedCount, count: c.countDocuments({}),
              cy: c.findOne({ _id: 3 }), dup, collections: db.getSiblingDB('clinic').getCollectionNames() }));
            """;

        var output = await MongoshAsync(host, script, "--authenticationMechanism", "SCRAM-SHA-256",
            "--authenticationDatabase", "admin", "-u", "admin", "-p", "admin-password-1");

        var doc = BsonDocument.Parse(LastLine(output));
        Assert.Equal(new BsonArray { "Ben", "Ada" }, doc["older"]);
        Assert.Equal((1, 1, 2), (doc["modified"].ToInt32(), doc["deleted"].ToInt32(), doc["count"].ToInt32()));
        Assert.Equal(BsonDocument.Parse("{ _id: 3, name: 'Cy', age: 18, ward: 'A' }"), doc["cy"]);
        Assert.Equal(11000, doc["dup"].ToInt32());
        Assert.Equal(new BsonArray { "patients" }, doc["collections"]);
    }

    [Fact]
    public async Task Mongosh_rs_status_on_the_primary_shows_a_killed_member_down_a_hung_one_down_after_the_timeout_and_a_slow_disk_behind()
    {
        var clock = new ManualClock();
        string[] names = ["m0.rs0.test:27017", "m1.rs0.test:27017", "m2.rs0.test:27017", "m3.rs0.test:27017"];
        var hosts = new List<MongodSimulatorHost>();
        foreach (var name in names)
        {
            hosts.Add(await _h.StartAsync(_h.TlsYaml() + "\nsecurity:\n  authorization: enabled\n  clusterAuthMode: x509\nreplication:\n  replSetName: rs0\n",
                new SimHarness.Member(name, clock)));
        }

        var members = new BsonArray(names.Select((n, i) => new BsonDocument { { "_id", i }, { "host", n }, { "priority", i == 0 ? 1.0 : 0.0 }, { "votes", i is 1 or 2 ? 0 : 1 } }));
        var admin = _h.ScramClient(hosts[0], "admin", "admin-password-1");
        await SimHarness.RunAdmin(admin, new BsonDocument("replSetInitiate", new BsonDocument { { "_id", "rs0" }, { "members", members } }));
        clock.AdvanceInSteps(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(500));
        await hosts[1].KillAsync();
        hosts[2].Faults.Hang();
        hosts[3].Faults.SlowDisk(TimeSpan.FromMinutes(5));
        await admin.GetDatabase("clinic").GetCollection<BsonDocument>("records").WithWriteConcern(WriteConcern.W1)
            .InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: TestContext.Current.CancellationToken); // only m0 applies it now
        clock.AdvanceInSteps(TimeSpan.FromSeconds(12), TimeSpan.FromMilliseconds(500)); // past heartbeatTimeoutSecs; m0 and m3 stay a voting majority
        const string script = """
            const s = rs.status();
            print(JSON.stringify(s.members.map(m => ({ name: m.name, health: m.health, stateStr: m.stateStr, t: m.optime.ts.getHighBits(), i: m.optime.ts.getLowBits() }))));
            """;

        var output = await MongoshAsync(hosts[0], script, "--authenticationMechanism", "SCRAM-SHA-256",
            "--authenticationDatabase", "admin", "-u", "admin", "-p", "admin-password-1");

        var rows = BsonSerializer.Deserialize<BsonArray>(output.Split('\n', StringSplitOptions.TrimEntries).Last(l => l.StartsWith('['))).Select(r => r.AsBsonDocument).ToList();
        Assert.Equal(["PRIMARY", "(not reachable/healthy)", "(not reachable/healthy)", "SECONDARY"], rows.Select(r => r["stateStr"].AsString));
        Assert.Equal([1.0, 0.0, 0.0, 1.0], rows.Select(r => r["health"].ToDouble()));
        var (primaryTs, slowTs) = (rows[0]["t"].ToInt64() * 100000 + rows[0]["i"].ToInt64(), rows[3]["t"].ToInt64() * 100000 + rows[3]["i"].ToInt64());
        Assert.True(slowTs < primaryTs, $"the slow disk's optime {slowTs} should trail the primary's {primaryTs}");
    }

    private Task<MongodSimulatorHost> StartAsync() => _h.StartAsync(_h.TlsYaml() + """

        security:
          authorization: enabled
          clusterAuthMode: x509
        setParameter:
          enableLocalhostAuthBypass: false
        """);

    private async Task<string> MongoshAsync(MongodSimulatorHost host, string script, params string[] auth)
    {
        var mongosh = await EnsureMongoshAsync();
        var combined = Path.Combine(_h.Pki.Dir, "operator-combined.pem");
        await File.WriteAllTextAsync(combined, _h.Pki.Operator.ExportCertificatePem() + "\n" +
            _h.Pki.Operator.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n", TestContext.Current.CancellationToken);
        string[] args =
        [
            $"mongodb://localhost:{host.Port}/?directConnection=true&tls=true", "--tlsCAFile", _h.Pki.CaFile,
            "--tlsCertificateKeyFile", combined, .. auth, "--quiet", "--norc", "--eval", script,
        ];
        var (code, output) = await RunAsync(mongosh, args, TimeSpan.FromSeconds(90));
        Assert.True(code == 0, $"mongosh exited {code}: {output}");
        return output;
    }

    private static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith('{'));

    /// <summary>Uses ./.tools/node_modules/.bin/mongosh, installing it with the project's script when missing.</summary>
    private static async Task<string> EnsureMongoshAsync([CallerFilePath] string thisFile = "")
    {
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
        var mongosh = Path.Combine(root, ".tools", "node_modules", ".bin", "mongosh");
        if (File.Exists(mongosh))
        {
            return mongosh;
        }

        var (code, output) = await RunAsync(Path.Combine(root, "scripts", "install-mongosh.sh"), [], TimeSpan.FromMinutes(8));
        Assert.True(code == 0, $"scripts/install-mongosh.sh failed (is npm installed?): {output}");
        return mongosh;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["MONGOSH_DISABLE_TELEMETRY"] = "1";
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
