using System.Diagnostics;
using HipaaMongo.Benchmarks.Members;

namespace HipaaMongo.Benchmarks.Footprint;

/// <summary>
/// `footprint [--quick] [--idle-only | --cold-only] [--r2r DIR] [--log FILE]`: the operator's resident memory (RSS, /proc VmRSS through Process.WorkingSet64) idle, with
/// HipaaMongos, and with unrelated Secrets and ConfigMaps in the cluster, each as a ratio to idle; the idle RSS under
/// runtime settings worth trying; and the cold start to the first reconcile with many HipaaMongos against a bare
/// LIST of the same set by a cold kubectl process. The operator runs as its own process against an in-process
/// LocalCluster with no simulations, so nothing else shares its memory.
/// </summary>
public static class FootprintHarness
{
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    // Runtime settings tried on the idle operator (docs/benchmarks.md says which were kept and why).
    static readonly (string Name, Dictionary<string, string> Environment)[] Variants =
    [
        ("as built (workstation, concurrent GC)", []),
        ("DOTNET_gcConcurrent=0", new() { ["DOTNET_gcConcurrent"] = "0" }),
        ("DOTNET_GCgen0size=0x400000 (4 MiB)", new() { ["DOTNET_GCgen0size"] = "0x400000" }),
        ("DOTNET_TieredPGO=0", new() { ["DOTNET_TieredPGO"] = "0" }),
        ("DOTNET_TieredCompilation=0", new() { ["DOTNET_TieredCompilation"] = "0" }),
        ("DOTNET_GCHeapHardLimit=0x4000000 (64 MiB)", new() { ["DOTNET_GCHeapHardLimit"] = "0x4000000" }),
        ("DOTNET_gcServer=1 (server GC, for contrast)", new() { ["DOTNET_gcServer"] = "1" }),
        // W^X maps JIT'd code twice (RssShmem); off, RSS drops, but it is an exploit mitigation: measured, not kept.
        ("DOTNET_EnableWriteXorExecute=0 (not kept)", new() { ["DOTNET_EnableWriteXorExecute"] = "0" }),
        ("DOTNET_GCConserveMemory=7", new() { ["DOTNET_GCConserveMemory"] = "7" }),
        ("gcConcurrent=0 + GCgen0size 4 MiB + TieredPGO=0", new()
        {
            ["DOTNET_gcConcurrent"] = "0", ["DOTNET_GCgen0size"] = "0x400000", ["DOTNET_TieredPGO"] = "0",
        }),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var limit = TimeSpan.FromMinutes(args.Contains("--quick") ? 15 : 60);
        return await HarnessRun.RunAsync("footprint", limit, () => RunProfileAsync(args, limit));
    }

    static async Task RunProfileAsync(string[] args, TimeSpan limit)
    {
        var quick = args.Contains("--quick");
        var idleOnly = args.Contains("--idle-only");
        var (small, large, unrelated) = quick ? (100, 300, 4_000) : (100, 1_000, 20_000);
        using var cts = new CancellationTokenSource(limit);
        var ct = cts.Token;
        if (args.Contains("--cold-only"))
        {
            await ColdOnlyAsync(args, large, ct);
            return;
        }
        Console.WriteLine($"footprint{(quick ? " --quick" : "")}: {Environment.ProcessorCount} cores; HipaaMongos {small} and {large}, {unrelated:N0} unrelated Secrets and ConfigMaps");

        var rows = new List<(string What, double Value, string Unit, string Ratio)>();
        double idle;
        double coldStart, allReconciled, bareList;
        await using (var cluster = await FootprintCluster.StartAsync(ct))
        {
            Console.WriteLine();
            Console.WriteLine("| idle operator, runtime setting | RSS MiB | vs as built | start to /readyz |");
            Console.WriteLine("|---|---:|---:|---:|");
            idle = 0;
            foreach (var (name, environment) in Variants)
            {
                var (variant, ready) = await IdleRssAsync(cluster, environment, ct);
                idle = idle == 0 ? variant : idle;
                Console.WriteLine($"| {name} | {variant:F1} | {variant / idle:F2}x | {ready:F1} s |");
            }
            if (Option(args, "--r2r") is { } r2r)
            {
                // `dotnet publish src/Operator -r linux-x64 -p:PublishReadyToRun=true -o DIR`: precompiled, less JIT at start.
                var (variant, ready) = await IdleRssAsync(cluster, new Dictionary<string, string>(), ct, Path.Combine(r2r, "hipaa-mongo"));
                Console.WriteLine($"| ReadyToRun publish ({r2r}) | {variant:F1} | {variant / idle:F2}x | {ready:F1} s |");
            }
            rows.Add(("idle", idle, "MiB", "1.00x"));
            if (idleOnly)
            {
                return; // the runtime-setting table alone: a small run, no HipaaMongos
            }

            // Cold start on a set no operator has seen yet, so "reconciled" means reconciled by this process.
            await cluster.GrowToAsync(large, ct);
            double rss;
            (bareList, coldStart, allReconciled, rss) = await ColdStartAsync(cluster, large, Option(args, "--log"), ct);
            rows.Add(($"{large:N0} HipaaMongos", rss, "MiB", $"{rss / idle:F2}x"));
        }

        await using (var cluster = await FootprintCluster.StartAsync(ct))
        {
            await cluster.GrowToAsync(small, ct);
            using var op = OperatorProcess.Start(cluster.KubeconfigPath);
            await UntilAsync(() => cluster.Observed() >= small, $"{small} HipaaMongos reconciled", op, ct);
            var rss = await SettledRssAsync(op, ct);
            rows.Insert(1, ($"{small} HipaaMongos", rss, "MiB", $"{rss / idle:F2}x"));
        }

        await using (var cluster = await FootprintCluster.StartAsync(ct))
        {
            await cluster.AddUnrelatedAsync(unrelated, ct);
            var (rss, _) = await IdleRssAsync(cluster, new Dictionary<string, string>(), ct);
            rows.Add(($"{unrelated:N0} unrelated Secrets and ConfigMaps, no HipaaMongo", rss, "MiB", $"{rss / idle:F2}x (goal <= 1.5x)"));
        }

        Console.WriteLine();
        Console.WriteLine("| measure | value | ratio |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (what, value, unit, ratio) in rows)
        {
            Console.WriteLine($"| RSS, {what} | {value:F1} {unit} | {ratio} vs idle |");
        }
        Console.WriteLine($"| bare LIST of {large:N0} HipaaMongos (cold `kubectl get hm -A -o name`, median of 3) | {bareList:F2} s | 1.00x |");
        Console.WriteLine($"| cold start to the first reconcile, {large:N0} HipaaMongos | {coldStart:F2} s | {coldStart / bareList:F2}x vs bare LIST (goal <= 2x) |");
        Console.WriteLine($"| cold start until all {large:N0} are reconciled (for scale) | {allReconciled:F2} s | {allReconciled / bareList:F2}x |");
    }

    // `--cold-only [--baseline EXE] [--exe EXE ...] [--rounds N]`: the cold start alone, with its timeline, for work on the
    // start-up path; with a baseline (another build's apphost, e.g. the last commit's), the two alternate, each on a fresh
    // cluster of `count` unseen HipaaMongos, so their ratio comes from one run on this shared machine.
    static async Task ColdOnlyAsync(string[] args, int count, CancellationToken ct)
    {
        var rounds = int.Parse(Option(args, "--rounds") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        var builds = new List<(string Name, string? Exe)>();
        if (Option(args, "--baseline") is { } baseline)
        {
            builds.Add(("baseline " + baseline, baseline));
        }
        builds.Add(("as built", null));
        // Other builds to compare (repeatable), e.g. a ReadyToRun publish: `--exe DIR/hipaa-mongo`.
        builds.AddRange(args.Select((a, i) => (a, i)).Where(p => p.a == "--exe" && p.i + 1 < args.Length)
            .Select(p => (args[p.i + 1], (string?)args[p.i + 1])));
        var results = new List<(string Name, double Bare, double First, double All, double Rss)>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, exe) in builds)
            {
                await using var cold = await FootprintCluster.StartAsync(ct);
                await cold.GrowToAsync(count, ct);
                Console.WriteLine($"{name}, round {round + 1}:");
                var (bare, first, all, rss) = await ColdStartAsync(cold, count, Option(args, "--log"), ct, exe);
                results.Add((name, bare, first, all, rss));
            }
        }
        Console.WriteLine($"| build, round | bare LIST of {count:N0} | to the first reconcile | ratio (goal <= 2x) | until all {count:N0} reconciled | RSS then |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, bare, first, all, rss) in results)
        {
            Console.WriteLine($"| {name} | {bare:F2} s | {first:F2} s | {first / bare:F2}x | {all:F1} s ({all / bare:F0}x) | {rss:F1} MiB |");
        }
    }

    // Log lines that mark the start-up path, printed with their time since the process started.
    static readonly string[] Milestones =
    [
        "Starting ", "Caches synced", "Application started", "Starting controller", "Became leader",
    ];

    // With `count` HipaaMongos no operator has seen: the bare LIST by a cold kubectl (median of three), the seconds from
    // process start to the first HipaaMongo reconciled and to all, and the settled RSS after. Prints the start-up timeline.
    static async Task<(double BareList, double First, double All, double Rss)> ColdStartAsync(FootprintCluster cluster, int count,
        string? logPath, CancellationToken ct, string? executable = null)
    {
        var bareList = Median([await KubectlListAsync(cluster, ct), await KubectlListAsync(cluster, ct), await KubectlListAsync(cluster, ct)]);
        var port = FreePort();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.StartNew();
        using var op = OperatorProcess.Start(cluster.KubeconfigPath, $"http://127.0.0.1:{port}", executable: executable, markers: Milestones, logPath: logPath);
        double? ready = null;
        await UntilAsync(() => cluster.Observed() > 0, "a first reconcile", op, ct, async () =>
        {
            if (ready is null && await ReadyAsync(http, port, ct))
            {
                ready = started.Elapsed.TotalSeconds;
            }
        });
        var first = started.Elapsed.TotalSeconds;
        await UntilAsync(() => cluster.Observed() >= count, $"{count} HipaaMongos reconciled", op, ct);
        var all = started.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"cold start timeline, {count:N0} HipaaMongos (seconds since process start):");
        foreach (var (at, line) in op.Marked)
        {
            Console.WriteLine($"  {at.TotalSeconds,6:F2} s  {Message(line)}");
        }
        Console.WriteLine($"  {ready?.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) ?? "-",6} s  /readyz 200 (polled with the store)");
        Console.WriteLine($"  {first,6:F2} s  first HipaaMongo reconciled (status.observedGeneration)");
        Console.WriteLine($"  {all,6:F2} s  all {count:N0} reconciled");
        Console.WriteLine();
        return (bareList, first, all, await SettledRssAsync(op, ct));
    }

    static string Message(string line)
    {
        var at = line.IndexOf("\"Message\":\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return line.Length > 120 ? line[..120] : line;
        }
        var from = at + "\"Message\":\"".Length;
        var end = line.IndexOf('"', from);
        return end < 0 ? line[from..] : line[from..end];
    }

    static async Task<bool> ReadyAsync(HttpClient http, int port, CancellationToken ct)
    {
        try
        {
            return (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"), ct)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    // The settled RSS of an operator with nothing to do, and the seconds from its start to /readyz answering 200.
    static async Task<(double Rss, double ReadySeconds)> IdleRssAsync(FootprintCluster cluster, IReadOnlyDictionary<string, string> environment,
        CancellationToken ct, string? executable = null)
    {
        var port = FreePort();
        var started = Stopwatch.StartNew();
        using var op = OperatorProcess.Start(cluster.KubeconfigPath, $"http://127.0.0.1:{port}", environment, executable);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ready = false;
        await UntilAsync(() => ready, "the operator ready (/readyz 200)", op, ct, async () =>
        {
            try
            {
                ready = (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"), ct)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                ready = false;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                ready = false;
            }
        });
        var readySeconds = started.Elapsed.TotalSeconds;
        return (await SettledRssAsync(op, ct), readySeconds);
    }

    // After a quiet period, the median of five samples 400 ms apart.
    static async Task<double> SettledRssAsync(OperatorProcess op, CancellationToken ct)
    {
        await Task.Delay(Settle, ct);
        var samples = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            samples.Add(op.WorkingSetBytes() / 1024.0 / 1024.0);
            await Task.Delay(400, ct);
        }
        return Median(samples);
    }

    static async Task<double> KubectlListAsync(FootprintCluster cluster, CancellationToken ct)
    {
        var start = new ProcessStartInfo("kubectl", ["get", "hipaamongos", "-A", "-o", "name", "--kubeconfig", cluster.KubeconfigPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["KUBECACHEDIR"] = Path.Combine(Path.GetTempPath(), "hm-footprint-kubectl-" + Guid.NewGuid().ToString("N"));
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var seconds = watch.Elapsed.TotalSeconds;
        Directory.Delete(start.Environment["KUBECACHEDIR"]!, recursive: true);
        var listed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        return process.ExitCode == 0 && listed == cluster.HipaaMongos
            ? seconds
            : throw new InvalidOperationException($"kubectl listed {listed} of {cluster.HipaaMongos}: {await process.StandardError.ReadToEndAsync(ct)}");
    }

    static async Task UntilAsync(Func<bool> done, string what, OperatorProcess op, CancellationToken ct, Func<Task>? refresh = null)
    {
        while (true)
        {
            if (refresh is not null)
            {
                await refresh();
            }
            if (done())
            {
                return;
            }
            if (op.HasExited)
            {
                throw new InvalidOperationException($"the operator exited while waiting for {what}");
            }
            await Task.Delay(25, ct);
        }
    }

    static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
