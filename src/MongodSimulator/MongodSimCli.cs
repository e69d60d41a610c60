using System.Runtime.InteropServices;
using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Server;

namespace HipaaMongo.MongodSimulator;

/// <summary>
/// mongod-sim --config /path/mongod.conf [--configExpand exec] [--configExpandTimeoutSecs N]
/// [--sim-edition enterprise|community|psmdb] [--sim-version 8.0.4] [--sim-advertise host:port]. Exits non-zero with mongod's message on a configuration mongod refuses.
/// </summary>
public static class MongodSimCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? configPath = null;
        var edition = Edition.Enterprise;
        var version = "8.0.4";
        var advertised = new List<string>();
        var argv = new List<string> { "mongod" }; // the mongod options, as getCmdLineOpts.argv shows them
        for (var i = 0; i < args.Length; i++)
        {
            var next = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--config" or "-f" when next is not null:
                    configPath = next;
                    argv.AddRange([args[i], next]);
                    i++;
                    break;
                case "--configExpand" or "--configExpandTimeoutSecs" when next is not null:
                    argv.AddRange([args[i], next]);
                    i++;
                    break;
                case "--sim-edition" when next is not null:
                    try
                    {
                        edition = SimulatorProfile.ParseEdition(next);
                    }
                    catch (ArgumentException e)
                    {
                        await stderr.WriteLineAsync(e.Message);
                        return 2;
                    }

                    i++;
                    break;
                case "--sim-version" when next is not null:
                    version = next;
                    i++;
                    break;
                case "--sim-advertise" when next is not null:
                    advertised.Add(next);
                    i++;
                    break;
                default:
                    await stderr.WriteLineAsync($"Error parsing command line: unrecognised option '{args[i]}'\ntry 'mongod --help' for more information");
                    return 2;
            }
        }

        if (configPath is null)
        {
            await stderr.WriteLineAsync("mongod-sim needs --config <path to mongod.conf>");
            return 2;
        }

        return await ServeAsync(configPath, argv, new SimulatorProfile(edition, version), advertised, stdout, stderr);
    }

    private static async Task<int> ServeAsync(string configPath, List<string> argv, SimulatorProfile profile, List<string> advertised,
        TextWriter stdout, TextWriter stderr)
    {
        MongodSimulatorHost host;
        try
        {
            var config = MongodConfig.Load(configPath, profile, argv);
            var options = new MongodSimulatorOptions { Config = config, Profile = profile, AdvertisedHosts = advertised, Log = stdout };
            host = await MongodSimulatorHost.StartAsync(options);
        }
        catch (MongodConfigException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return e.ExitCode;
        }

        var stopped = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopped.TrySetResult(); });
        await stopped.Task;
        await host.DisposeAsync();
        return 0;
    }
}
