using System.Diagnostics;
using System.Globalization;
using HipaaMongo.Benchmarks.Scale;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HipaaMongo.Benchmarks.Drift;

/// <summary>
/// `drift [--quick]`: drift-to-correction latency of a deleted default-deny NetworkPolicy with 1, 100 (and 1,000)
/// HipaaMongos managed, for the operator as `run` wires it, for the same reconciler as a 5 s periodic resync
/// without watches on owned objects (the peer design), and for an echo controller (the floor); plus each
/// controller's API requests at rest, from LocalCluster's audit trail. A plain timed run, like `scale`.
/// </summary>
public static class DriftHarness
{
    public const string Ours = "ours (watch-driven)";
    public const string Periodic = "periodic 5 s resync, no owned watches";
    public const string Echo = "echo controller (floor)";
    const int Seed = 6;

    static readonly TimeSpan SeedLimit = TimeSpan.FromMinutes(10);
    static readonly TimeSpan SettleLimit = TimeSpan.FromMinutes(3);
    static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(60);

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => a is not ("--quick" or "--help")) || args.Contains("--help"))
        {
            await Console.Error.WriteLineAsync("usage: drift [--quick]   (quick: 1 and 100 HipaaMongos, 12 rounds; default: 1, 100 and 1,000, 20 rounds)");
            return args.Contains("--help") ? 0 : 2;
        }

        var profile = args.Contains("--quick") ? DriftProfile.Quick : DriftProfile.Full;
        return await HarnessRun.RunAsync("drift", RunLimit, () => RunProfileAsync(profile));
    }

    static async Task RunProfileAsync(DriftProfile profile)
    {
        using var cts = new CancellationTokenSource(RunLimit);
        var total = Stopwatch.StartNew();
        Console.WriteLine(Invariant($"drift run '{profile.Name}': fleets {string.Join(", ", profile.Fleets)}, {profile.Rounds} rounds ({profile.PeriodicRounds} periodic), idle window {profile.IdleWindow.TotalSeconds:F0} s, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
        Console.WriteLine("simulations off: no pods run, so no member is verified; every design's pass covers the Kubernetes objects only");
        Console.WriteLine("load average at start: " + LoadAverage());
        var rows = new List<DriftRow>();
        foreach (var fleet in profile.Fleets)
        {
            rows.AddRange(await RunFleetAsync(profile, fleet, cts.Token));
        }

        Console.WriteLine("load average at end: " + LoadAverage());
        Console.WriteLine(Invariant($"working set {Environment.WorkingSet / (1024 * 1024)} MiB (server, controllers and harness share the process)"));
        Console.WriteLine();
        Console.WriteLine(DriftReport.Table(rows));
        Console.WriteLine(Invariant($"total {total.Elapsed.TotalSeconds:F0} s"));
    }

    static async Task<DriftRow[]> RunFleetAsync(DriftProfile profile, int fleet, CancellationToken ct)
    {
        await using var cluster = await DriftCluster.StartAsync(ct);
        using var http = new BenchHttp(cluster.Server.ClientConfiguration());
        await cluster.SeedAsync(fleet, ct);
        await using var watch = await PolicyWatch.OpenAsync(http, ct);
        var ours = await MeasureOursAsync(profile, cluster, http, watch, ct);
        var periodic = await MeasurePeriodicAsync(profile, cluster, http, watch, ct);
        var echo = await MeasureEchoAsync(profile, cluster, http, watch, ct);
        return [echo, ours, periodic];
    }

    static async Task<DriftRow> MeasureOursAsync(DriftProfile profile, DriftCluster cluster, BenchHttp http, PolicyWatch watch, CancellationToken ct)
    {
        const string account = "hipaa-mongo";
        var audit = new AuditWindow(cluster.Server.AuditTrail, DriftCluster.UserOf(account));
        using var client = cluster.ClientFor(account);
        var seeding = Stopwatch.StartNew();
        var host = await DriftHosts.OperatorAsync(client, ct);
        try
        {
            var expected = cluster.Fleet.Count * cluster.PolicySuffixes.Count;
            await Waits.UntilAsync(() => cluster.Fleet.All(f => cluster.PolicySuffixes.All(s => watch.Exists(f.Namespace, f.Name + s))),
                SeedLimit, Invariant($"all {expected} NetworkPolicies of {cluster.Fleet.Count} HipaaMongos"), ct);
            audit.Reset();
            await audit.UntilQuietAsync(TimeSpan.FromSeconds(3), SettleLimit, "the operator to settle after creation", ct);
            Console.WriteLine(Invariant($"{cluster.Fleet.Count} HipaaMongos: operator created their {expected} NetworkPolicies and settled in {seeding.Elapsed.TotalSeconds:F1} s"));
            return await MeasureAsync(Ours, profile.Rounds, profile, cluster, http, watch, audit, ct);
        }
        finally
        {
            await DriftHosts.StopAsync(host);
        }
    }

    static async Task<DriftRow> MeasurePeriodicAsync(DriftProfile profile, DriftCluster cluster, BenchHttp http, PolicyWatch watch, CancellationToken ct)
    {
        const string account = "periodic";
        var audit = new AuditWindow(cluster.Server.AuditTrail, DriftCluster.UserOf(account));
        using var client = cluster.ClientFor(account);
        var host = await DriftHosts.PeriodicAsync(client, ct);
        try
        {
            await Waits.UntilAsync(() => DriftHosts.Synced(host), SettleLimit, "the periodic controller's caches", ct);
            await Task.Delay(DriftProfile.ResyncPeriod, ct); // past the first pass over every resource
            audit.Reset();
            await audit.UntilQuietAsync(TimeSpan.FromSeconds(2), SettleLimit, "the periodic controller to settle", ct);
            return await MeasureAsync(Periodic, profile.PeriodicRounds, profile, cluster, http, watch, audit, ct);
        }
        finally
        {
            await DriftHosts.StopAsync(host);
        }
    }

    static async Task<DriftRow> MeasureEchoAsync(DriftProfile profile, DriftCluster cluster, BenchHttp http, PolicyWatch watch, CancellationToken ct)
    {
        const string account = "echo";
        var audit = new AuditWindow(cluster.Server.AuditTrail, DriftCluster.UserOf(account));
        using var client = cluster.ClientFor(account);
        var host = await DriftHosts.EchoAsync(client, ct);
        try
        {
            var echo = host.Services.GetRequiredService<EchoReconciler>();
            await Waits.UntilAsync(() => echo.Remembered >= cluster.Fleet.Count, SettleLimit, "the echo controller to see every default-deny policy", ct);
            audit.Reset();
            var rounds = new DriftRounds(http, watch, audit, cluster.Fleet);
            return new DriftRow(cluster.Fleet.Count, await rounds.RunAsync(Echo, profile.Rounds, Seed, ct), null);
        }
        finally
        {
            await DriftHosts.StopAsync(host);
        }
    }

    // Requests at rest first (nothing else happening), then the rounds.
    static async Task<DriftRow> MeasureAsync(string design, int rounds, DriftProfile profile, DriftCluster cluster, BenchHttp http,
        PolicyWatch watch, AuditWindow audit, CancellationToken ct)
    {
        var rest = await audit.MeasureAsync(profile.IdleWindow, cluster.Fleet.Count, ct);
        var latency = await new DriftRounds(http, watch, audit, cluster.Fleet).RunAsync(design, rounds, Seed, ct);
        Console.WriteLine(Invariant($"  {design}: {rest.Requests} requests in the idle window; correction p50 {latency.Percentile(50):F1} ms"));
        return new DriftRow(cluster.Fleet.Count, latency, rest);
    }

    static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1, 5, 15 min)";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
