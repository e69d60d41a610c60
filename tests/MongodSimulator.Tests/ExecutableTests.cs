using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>The mongod-sim executable started the way a pod starts mongod: --config path, then clients connect.</summary>
public sealed class ExecutableTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Mongod_sim_serves_the_config_file_and_stops_on_sigterm()
    {
        var port = FreePort();
        var yaml = _h.TlsYaml().Replace("port: 27017", $"port: {port}") + "\nsecurity:\n  authorization: enabled\n";
        var config = Path.Combine(_h.Pki.Dir, "mongod.conf");
        await File.WriteAllTextAsync(config, yaml, TestContext.Current.CancellationToken);
        var dll = typeof(MongodSimCli).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "--config", config, "--sim-edition", "psmdb" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask()
                .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            Assert.Contains("Waiting for connections", line);

            var settings = MongoClientSettings.FromConnectionString($"mongodb://localhost:{port}/?directConnection=true&tls=true");
            settings.SslSettings = new SslSettings { ClientCertificates = [_h.Pki.Operator], ServerCertificateValidationCallback = (_, _, _, _) => true };
            settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
            using var client = new MongoClient(settings);
            var info = await SimHarness.RunAdmin(client, new BsonDocument("buildInfo", 1));
            Assert.True(info.Contains("psmdbVersion"));
        }
        finally
        {
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit(5000);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, process.ExitCode);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
