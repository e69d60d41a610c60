using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HipaaMongo.Benchmarks.Drift;
using HipaaMongo.Benchmarks.Members;
using HipaaMongo.Entities;
using HipaaMongo.MongodSimulator.Server;
using k8s;
using k8s.Models;

namespace HipaaMongo.Benchmarks.Rollout;

/// <summary>
/// `rollout [--quick]`: the wall time of a rolling restart driven by the operator (a spec.version patch bump, which
/// changes the pod template, so every member is restarted one at a time, the primary last after a step-down) of 3, 5
/// and 7 members (--quick: 3), as a ratio to a floor measured in the same run on the same set: the sum, over the
/// members, of one member's own restart-and-catch-up (its pod deleted by the harness, until a new process serves as
/// SECONDARY or PRIMARY within the operator's lag bound of the primary). A sampler reads every mongod simulator every
/// 100 ms throughout and counts the samples in which the voting members of the newest config that serve are not a
/// majority: it must be 0. Each size runs on its own fresh in-process LocalCluster with one operator process.
/// </summary>
public static class RollingRestartHarness
{
    const string From = "8.0.4";
    const string To = "8.0.5";
    const long LagBoundSeconds = 10; // ReconcilerOptions.LagBoundSeconds, the bound the rollout waits for
    static readonly TimeSpan SettleLimit = TimeSpan.FromMinutes(5);
    static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(5);
    static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => a != "--quick"))
        {
            await Console.Error.WriteLineAsync("usage: rollout [--quick]   (--quick: 3 members only; otherwise 3, 5 and 7)");
            return args.Contains("--help") ? 0 : 2;
        }
        int[] sizes = args.Contains("--quick") ? [3] : [3, 5, 7];
        var limit = TimeSpan.FromMinutes(15 * sizes.Length);
        return await HarnessRun.RunAsync("rollout", limit, () => RunSizesAsync(sizes, limit));
    }

    sealed record Row(int Members, IReadOnlyList<double> FloorSeconds, double RollSeconds, int Samples, int WithoutMajority, int Deletions);

    static async Task RunSizesAsync(int[] sizes, TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        var ct = cts.Token;
        Console.WriteLine(Invariant($"rollout run: rolling restart ({From} -> {To}) of {string.Join(", ", sizes)} members, one operator process per size, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
        Console.WriteLine("load average at start: " + LoadAverage());
        var rows = new List<Row>();
        foreach (var n in sizes)
        {
            rows.Add(await RunOneAsync(n, ct));
        }
        Console.WriteLine("load average at end: " + LoadAverage());
        Console.WriteLine();
        Console.WriteLine("| members | floor: each member's own restart and catch-up (s) | floor sum (s) | rolling restart (s) | ratio to floor | pods deleted | samples | samples without a majority |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            var floor = r.FloorSeconds.Sum();
            Console.WriteLine(Invariant($"| {r.Members} | {string.Join(", ", r.FloorSeconds.Select(s => s.ToString("F1", CultureInfo.InvariantCulture)))} | {floor:F1} | {r.RollSeconds:F1} | {r.RollSeconds / floor:F2} | {r.Deletions} | {r.Samples} | {r.WithoutMajority} |"));
        }
        if (rows.Any(r => r.WithoutMajority > 0))
        {
            throw new InvalidOperationException("a sample found the set without a majority of serving voters");
        }
    }

    static async Task<Row> RunOneAsync(int n, CancellationToken ct)
    {
        await using var cluster = await MembersCluster.StartAsync(ct);
        await cluster.SeedAsync(1, ct, members: n);
        var (ns, name) = cluster.Fleet[0];
        using var op = OperatorProcess.Start(cluster.KubeconfigPath);
        var settle = Stopwatch.StartNew();
        await UntilConvergedAsync(cluster, op, ns, name, n, From, SettleLimit, ct);
        Console.WriteLine(Invariant($"{n} members: bootstrapped, Ready and verified in {settle.Elapsed.TotalSeconds:F1} s"));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var samples = new Samples();
        var sampler = Task.Run(() => SampleAsync(cluster, ns, samples, stop.Token), CancellationToken.None);

        // The floor: each member restarted on its own, highest ordinal first, the set converged again (untimed) between.
        var floor = new List<double>();
        for (var i = n - 1; i >= 0; i--)
        {
            var pod = Names(name, i);
            var old = await cluster.Admin.CoreV1.ReadNamespacedPodAsync(pod, ns, cancellationToken: ct);
            var timer = Stopwatch.StartNew();
            await cluster.Admin.CoreV1.DeleteNamespacedPodAsync(pod, ns, cancellationToken: ct);
            await Waits.UntilAsync(async () => await CaughtUpAsync(cluster, ns, pod, old.Metadata.Uid, ct), StepLimit,
                Invariant($"{pod} serving and caught up after its restart"), ct);
            floor.Add(timer.Elapsed.TotalSeconds);
            await UntilConvergedAsync(cluster, op, ns, name, n, From, StepLimit, ct);
        }
        Console.WriteLine(Invariant($"{n} members: floor {string.Join(" + ", floor.Select(f => f.ToString("F1", CultureInfo.InvariantCulture)))} = {floor.Sum():F1} s"));

        // The rolling restart, driven by the operator: from the spec patch until every member runs the new binary,
        // serving and within the lag bound, with one primary.
        var before = Deletions(cluster);
        var roll = Stopwatch.StartNew();
        var patch = new JsonObject { ["spec"] = new JsonObject { ["version"] = To } };
        await cluster.Admin.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, ns, ApiGroup.Plural, name, cancellationToken: ct);
        await Waits.UntilAsync(async () => await AllServingAsync(cluster, ns, n, To, ct), StepLimit * n, Invariant($"{n} members on {To}"), ct);
        var rolled = roll.Elapsed.TotalSeconds;
        var deletions = Deletions(cluster) - before;
        Console.WriteLine(Invariant($"{n} members: rolling restart {rolled:F1} s, {deletions} pods deleted by the operator"));
        await UntilConvergedAsync(cluster, op, ns, name, n, To, StepLimit, ct);
        await stop.CancelAsync();
        await sampler;
        return new Row(n, floor, rolled, samples.Count, samples.WithoutMajority, deletions);
    }

    static string Names(string set, int ordinal) => Invariant($"{set}-{ordinal}");

    // Pod deletions asked for (the simulated kubelet's own final delete, gracePeriodSeconds=0, is not one).
    static int Deletions(MembersCluster cluster) =>
        cluster.Server.AuditTrail.Writes.Count(r => r is { Verb: "delete", Resource: "pods", Code: >= 200 and < 300 }
            && !r.Query.Contains("gracePeriodSeconds=0", StringComparison.Ordinal));

    // The running member pods and their simulators (pods being deleted excluded).
    static async Task<List<(V1Pod Pod, MongodSimulatorHost Host)>> MembersAsync(MembersCluster cluster, string ns, CancellationToken ct) =>
        [.. (await cluster.Admin.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: ct)).Items
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Metadata.Labels?.ContainsKey("statefulset.kubernetes.io/pod-name") == true)
            .Select(p => (p, cluster.Mongods.HostOf(p.Metadata.Uid)))
            .Where(t => t.Item2 is not null)
            .Select(t => (t.p, t.Item2!))];

    static bool Serving(MongodSimulatorHost m) => m.State.Repl.State is MemberState.Primary or MemberState.Secondary;

    static bool WithinLag(MongodSimulatorHost m, MongodSimulatorHost primary) =>
        m.State.Repl.LastAppliedOpTime.Ts.Timestamp >= primary.State.Repl.LastAppliedOpTime.Ts.Timestamp - LagBoundSeconds;

    // The pod's new process (another uid) serves and is within the lag bound of the primary.
    static async Task<bool> CaughtUpAsync(MembersCluster cluster, string ns, string pod, string oldUid, CancellationToken ct)
    {
        var members = await MembersAsync(cluster, ns, ct);
        var primary = members.Select(m => m.Host).FirstOrDefault(h => h.State.Repl.IsPrimary);
        var it = members.FirstOrDefault(m => m.Pod.Metadata.Name == pod);
        return primary is not null && it.Host is not null && it.Pod.Metadata.Uid != oldUid && Serving(it.Host) && WithinLag(it.Host, primary);
    }

    static async Task<bool> AllServingAsync(MembersCluster cluster, string ns, int n, string version, CancellationToken ct)
    {
        var members = await MembersAsync(cluster, ns, ct);
        var primaries = members.Where(m => m.Host.State.Repl.IsPrimary).ToList();
        return members.Count == n && primaries.Count == 1
            && members.All(m => m.Host.State.Profile.Version == version && Serving(m.Host) && WithinLag(m.Host, primaries[0].Host));
    }

    // Every member serving on the version, and the resource Ready (its status written by the operator).
    static async Task UntilConvergedAsync(MembersCluster cluster, OperatorProcess op, string ns, string name, int n, string version, TimeSpan limit,
        CancellationToken ct) =>
        await Waits.UntilAsync(async () =>
        {
            if (op.HasExited)
            {
                throw new InvalidOperationException("the operator process exited");
            }
            if (!await AllServingAsync(cluster, ns, n, version, ct))
            {
                return false;
            }
            var resource = await cluster.Admin.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ns, ApiGroup.Plural, name,
                cancellationToken: ct);
            var conditions = JsonNode.Parse(KubernetesJson.Serialize(resource))?["status"]?["conditions"] as JsonArray;
            return conditions?.Any(c => c!["type"]!.ToString() == "Ready" && c["status"]!.ToString() == "True") == true;
        }, limit, Invariant($"{n} members serving on {version} and {name} Ready"), ct);

    sealed class Samples
    {
        public int Count;
        public int WithoutMajority;
    }

    // Every 100 ms: whether the serving members hold a majority of the voters of the newest config any member has.
    static async Task SampleAsync(MembersCluster cluster, string ns, Samples samples, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var running = (await MembersAsync(cluster, ns, ct)).Select(m => m.Host).ToList();
                var config = running.Select(m => m.State.Repl.Config).OfType<MongoDB.Bson.BsonDocument>().MaxBy(c => c["version"].ToInt32());
                if (config is not null)
                {
                    var serving = running.Where(Serving).SelectMany(m => m.State.Repl.SelfNames.Append(m.State.Repl.Me))
                        .ToHashSet(StringComparer.OrdinalIgnoreCase);
                    var voters = config["members"].AsBsonArray.Where(m => m["votes"].ToInt32() > 0).Select(m => m["host"].AsString).ToList();
                    samples.Count++;
                    if (voters.Count(serving.Contains) * 2 <= voters.Count)
                    {
                        samples.WithoutMajority++;
                    }
                }
                await Task.Delay(SampleEvery, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
