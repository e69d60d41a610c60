using HipaaMongo.ClusterSimulations;
using HipaaMongo.ClusterSimulations.Clock;
using HipaaMongo.ClusterSimulations.Pods.Mongod;
using HipaaMongo.LocalCluster.Hosting;
using Microsoft.Extensions.Logging;

// local-cluster --kubeconfig PATH [--port N] [--watch-history N] [--state FILE] [--rbac] [--http]
//               [--simulate all|none|cert-manager,workloads] [--kmip NAME=IP:PORT ...] [--ldap NAME=IP:PORT ...]
// Runs an in-memory Kubernetes API server on 127.0.0.1 until Ctrl-C, with the chosen cluster simulations.
string? kubeconfig = null;
var simulations = SimulationKinds.None;
var options = new LocalClusterOptions();
// The KMIP servers this cluster runs, by the DNS name members' configs write (e.g. kmip.security.svc.cluster.local).
var kmipServers = new Dictionary<string, System.Net.IPEndPoint>(StringComparer.OrdinalIgnoreCase);
// The LDAP directories (LDAPS), by the name members' security.ldap.servers write (e.g. ldap.directory.svc.cluster.local).
var ldapServers = new Dictionary<string, System.Net.IPEndPoint>(StringComparer.OrdinalIgnoreCase);
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--kubeconfig":
                kubeconfig = Next();
                break;
            case "--port":
                options.Port = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "--watch-history":
                options.WatchHistoryWindow = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "--state":
                options.StatePath = Next();
                break;
            case "--rbac":
                options.EnableRbac = true;
                break;
            case "--http":
                options.PlainHttp = true;
                break;
            case "--simulate":
                simulations = ClusterSimulationSet.Parse(Next());
                break;
            case "--kmip":
                var (name, endpoint) = ServerArgument("--kmip", Next());
                kmipServers[name] = endpoint;
                break;
            case "--ldap":
                var (ldapName, ldapEndpoint) = ServerArgument("--ldap", Next());
                ldapServers[ldapName] = ldapEndpoint;
                break;
            case "-h" or "--help":
                Console.WriteLine("usage: local-cluster --kubeconfig PATH [--port N] [--watch-history N] [--state FILE] [--rbac] [--http] "
                    + "[--simulate all|none|cert-manager,workloads] [--kmip NAME=IP:PORT ...] [--ldap NAME=IP:PORT ...]");
                return 0;
            default:
                throw new ArgumentException($"unknown argument {args[i]}");
        }
    }
    catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine($"local-cluster: {e.Message}");
        return 2;
    }
}
if (kubeconfig is null)
{
    Console.Error.WriteLine("local-cluster: --kubeconfig PATH is required (usage: local-cluster --kubeconfig PATH [--port N])");
    return 2;
}
options.KubeconfigPath = kubeconfig;
// One virtual clock for the simulations; /admin/clock reads it and /admin/clock/advance moves it (e.g. 2160h to
// reach a certificate's renewal time) without LocalCluster knowing what it drives.
var clock = SimulationClock.FollowingWallClock();
options.Clock = new ClockHook(clock, clock.Advance);
var memberFaults = new MemberFaultHook();
options.MemberFaults = memberFaults;
await using var server = await LocalClusterServer.StartAsync(options);
Console.WriteLine($"local-cluster: serving {server.BaseUrl}; kubeconfig written to {kubeconfig}");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
// SIGTERM (e.g. `kill` from scripts/run-local.sh) and SIGINT: stop cleanly so a --state file is saved.
void OnSignal(System.Runtime.InteropServices.PosixSignalContext ctx)
{
    ctx.Cancel = true;
    stop.Cancel();
}
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, OnSignal);
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, OnSignal);
var simulating = RunSimulationsAsync(server, simulations, clock, kmipServers, ldapServers, memberFaults, stop.Token);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    Console.WriteLine("local-cluster: stopping");
}
await simulating;
return 0;

// The simulations run as clients of this server (like real controllers) on one shared virtual clock.
static async Task RunSimulationsAsync(LocalClusterServer server, SimulationKinds kinds, SimulationClock clock,
    IReadOnlyDictionary<string, System.Net.IPEndPoint> kmipServers, IReadOnlyDictionary<string, System.Net.IPEndPoint> ldapServers,
    MemberFaultHook memberFaults, CancellationToken stop)
{
    if (kinds == SimulationKinds.None)
    {
        return;
    }
    using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
    using var client = server.CreateClient();
    await using var mongods = new MongodPodWorkload(new KubernetesVolumeSource(client), loggers.CreateLogger<MongodPodWorkload>(),
        new MongodWorkloadOptions { Clock = clock, VolumeSyncPeriod = TimeSpan.FromSeconds(10), KmipServers = kmipServers, LdapServers = ldapServers });
    memberFaults.Handler = request => MemberFaults.TryParse(request.Fault, out var fault)
        ? mongods.InjectAsync(request.Namespace, request.Pod, fault, request.Peers, request.Delay)
        : Task.FromResult<string?>($"unknown fault \"{request.Fault}\" (one of {MemberFaults.Names})");
    Console.WriteLine($"local-cluster: simulating {kinds}");
    try
    {
        await ClusterSimulationSet.RunAsync(client, kinds, clock, loggers, mongods, stop);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        // stopping
    }
    catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or IOException or InvalidOperationException)
    {
        // The API server keeps serving; say why the simulated cluster stopped acting.
        Console.Error.WriteLine($"local-cluster: simulations stopped: {e.Message}");
    }
    finally
    {
        memberFaults.Handler = null; // the pods' mongods stop with the simulations
    }
}

// "kmip.security.svc.cluster.local=127.0.0.1:5696": a name members dial, and where that server listens here.
static (string Name, System.Net.IPEndPoint Endpoint) ServerArgument(string option, string value)
{
    var eq = value.IndexOf('=', StringComparison.Ordinal);
    if (eq <= 0 || !System.Net.IPEndPoint.TryParse(value[(eq + 1)..], out var endpoint) || endpoint.Port == 0)
    {
        throw new ArgumentException($"{option} wants NAME=IP:PORT, got '{value}'");
    }
    return (value[..eq], endpoint);
}
