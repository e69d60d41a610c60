using System.Diagnostics;
using System.Globalization;
using HipaaMongo.LocalCluster.Hosting;

namespace HipaaMongo.Benchmarks.Scale;

/// <summary>
/// `scale [--quick]`: starts LocalCluster in-process on 127.0.0.1, seeds ConfigMaps, opens watches, then
/// times lists and watch fan-out. A plain timed run (BenchmarkDotNet cannot host a live server); every
/// figure is also printed as a ratio to a floor measured on the same server in the same run.
/// </summary>
public static class ScaleHarness
{
    static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(120);
    static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(30);

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => a is not ("--quick" or "--help")) || args.Contains("--help"))
        {
            await Console.Error.WriteLineAsync("usage: scale [--quick]   (quick: 2,000 ConfigMaps and 100 watches; default: 20,000 and 1,000)");
            return args.Contains("--help") ? 0 : 2;
        }

        var profile = args.Contains("--quick") ? ScaleProfile.Quick : ScaleProfile.Full;
        return await HarnessRun.RunAsync("scale", RunLimit, () => RunProfileAsync(profile));
    }

    static async Task RunProfileAsync(ScaleProfile profile)
    {
        using var cts = new CancellationTokenSource(RunLimit);
        var ct = cts.Token;
        var total = Stopwatch.StartNew();
        Console.WriteLine(Invariant($"scale run '{profile.Name}': {profile.Objects} ConfigMaps in {profile.Namespaces} namespaces, {profile.Watches} watches, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));

        // A large history window would only cost memory here; nothing resumes old watches.
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { WatchHistoryWindow = 1_000 }, ct);
        using var http = new BenchHttp(server.ClientConfiguration());

        var create = new Sample(Invariant($"create ConfigMap ({Seeder.InFlight} in flight)"));
        await Seeder.CreateNamespacesAsync(http, profile, ct);
        var seeding = Stopwatch.StartNew();
        await Seeder.CreateConfigMapsAsync(http, profile, create, ct);
        create.Note = Invariant($"{profile.Objects / seeding.Elapsed.TotalSeconds:F0} objects/s overall");
        Console.WriteLine(Invariant($"seeded {profile.Objects} ConfigMaps in {seeding.Elapsed.TotalSeconds:F1} s"));

        var floor = await RepeatGetAsync(http, "GET /version (floor)", "version", 200, countItems: false, ct);
        var samples = new List<Sample> { create };
        samples.Add(await RepeatGetAsync(http, "GET one ConfigMap", "api/v1/namespaces/bench-0/configmaps/cm-0", 200, countItems: false, ct));
        samples.Add(await RepeatGetAsync(http, "list one namespace", "api/v1/namespaces/bench-1/configmaps", 30, countItems: true, ct));
        samples.Add(await RepeatGetAsync(http, "list by label, all namespaces (shard=3)", "api/v1/configmaps?labelSelector=shard%3D3", 10, countItems: true, ct));
        samples.Add(await RepeatGetAsync(http, "list all namespaces", "api/v1/configmaps", profile.ListAllRepeats, countItems: true, ct));
        samples.AddRange(await FanOutAsync(http, profile, ct));

        Console.WriteLine(Invariant($"working set {Environment.WorkingSet / (1024 * 1024)} MiB (server and harness share the process)"));
        Console.WriteLine();
        Console.WriteLine(Report.Table(floor, samples));
        Console.WriteLine(Invariant($"total {total.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>A few untimed warm-up GETs, then <paramref name="repeats"/> timed ones, sequentially.</summary>
    static async Task<Sample> RepeatGetAsync(BenchHttp http, string name, string path, int repeats, bool countItems, CancellationToken ct)
    {
        var sample = new Sample(name);
        var (_, body) = await http.TimedGetAsync(path, ct);
        if (countItems)
        {
            sample.Note = Invariant($"{BenchHttp.ItemCount(body)} items, {body.Length / 1024} KiB");
        }

        for (var i = 0; i < repeats; i++)
        {
            sample.Add((await http.TimedGetAsync(path, ct)).Ms);
        }

        return sample;
    }

    /// <summary>Writes the watched ConfigMap once per round and times until every watcher has read the event.</summary>
    static async Task<IEnumerable<Sample>> FanOutAsync(BenchHttp http, ScaleProfile profile, CancellationToken ct)
    {
        var cmPath = $"api/v1/namespaces/{Seeder.WatchNamespace}/configmaps";
        await http.TimedSendAsync(HttpMethod.Post, cmPath, Seeder.ConfigMap(Seeder.WatchNamespace, Seeder.FanOutName, 0).ToJsonString(), "application/json", ct);
        var opening = Stopwatch.StartNew();
        await using var fleet = await WatchFleet.OpenAsync(http, profile.Watches, WaitLimit);
        Console.WriteLine(Invariant($"opened {fleet.Size} watches in {opening.Elapsed.TotalSeconds:F1} s"));

        var write = new Sample("merge patch, response (watchers open)");
        var all = new Sample(Invariant($"fan-out: write -> all {fleet.Size} watchers"));
        var each = new Sample("fan-out: write -> each watcher");
        for (var r = 1; r <= profile.FanOutRounds; r++)
        {
            fleet.Arm();
            var start = Stopwatch.GetTimestamp();
            var patch = "{\"data\":{\"round\":\"" + r.ToString(CultureInfo.InvariantCulture) + "\"}}";
            write.Add(await http.TimedSendAsync(HttpMethod.Patch, $"{cmPath}/{Seeder.FanOutName}", patch, "application/merge-patch+json", ct));
            var arrivals = await fleet.WaitRoundAsync(WaitLimit, Invariant($"fan-out round {r}"));
            var latencies = arrivals.Select(t => Stopwatch.GetElapsedTime(start, t).TotalMilliseconds).ToArray();
            all.Add(latencies.Max());
            each.AddRange(latencies);
        }

        all.Note = Invariant($"{profile.FanOutRounds} rounds");
        return [write, all, each];
    }

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
