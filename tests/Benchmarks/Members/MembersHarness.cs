using System.Diagnostics;
using System.Globalization;
using HipaaMongo.Benchmarks.Drift;
using HipaaMongo.Entities;
using k8s;
using k8s.Models;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>
/// `members [--quick] [--sets N]`: one operator process managing N HipaaMongo replica sets (3 members each,
/// verified every 10 s, the CRD's minimum) on an in-process LocalCluster with every simulation. Measures runtime
/// drift-to-correction latency as a ratio of the interval, the operator's CPU seconds per verification round, the
/// same with nothing due, and a floor: one bare getParameter per member from a separate process.
/// </summary>
public static class MembersHarness
{
    const int Seed = 7;
    static readonly TimeSpan FloorLimit = TimeSpan.FromMinutes(3);
    static readonly TimeSpan PhaseLimit = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is [BareFloor.ChildFlag])
        {
            return await BareFloor.RunChildAsync();
        }

        if (MembersArgs.Parse(args) is not { } profile)
        {
            await Console.Error.WriteLineAsync(MembersArgs.Usage);
            return args.Contains("--help") ? 0 : 2;
        }

        return await HarnessRun.RunAsync("members", profile.RunLimit, () => RunProfileAsync(profile));
    }

    static async Task RunProfileAsync(MembersProfile profile)
    {
        using var cts = new CancellationTokenSource(profile.RunLimit);
        var ct = cts.Token;
        var total = Stopwatch.StartNew();
        var interval = MembersProfile.Interval;
        Console.WriteLine(Invariant($"members run '{profile.Name}': {profile.Sets} HipaaMongo replica sets, {profile.Sets * MembersProfile.MembersPerSet} members, one operator process, verification interval {interval.TotalSeconds:F0} s (the CRD minimum), {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
        Console.WriteLine("load average at start: " + LoadAverage());
        await using var cluster = await MembersCluster.StartAsync(ct);
        await cluster.SeedAsync(profile.Sets, ct);
        using var op = OperatorProcess.Start(cluster.KubeconfigPath);
        await SettleAsync(profile, cluster, op, ct);
        await Task.Delay(interval * MembersProfile.WarmIntervals, ct);
        var steady = await CpuWindow.MeasureAsync(op, interval * MembersProfile.CpuIntervals, ct);
        Console.WriteLine(Invariant($"steady state: operator used {steady.CpuSeconds:F2} CPU s in {steady.WallSeconds:F1} s, {steady.Verifications} set verifications"));
        var targets = await TargetsAsync(cluster, ct);
        var drift = await DriftInjection.RunAllAsync(targets, ct);
        var events = await RevertedEventsAsync(cluster, drift.Latency.Count, ct);
        Console.WriteLine(Invariant($"drift: {drift.Latency.Count} corrected, {drift.Missed} missed, {events} RuntimeSettingReverted Events"));
        var idle = await NothingDueAsync(profile, cluster, op, ct);
        if (idle is not null)
        {
            Console.WriteLine(Invariant($"nothing due: operator used {idle.CpuSeconds:F2} CPU s in {idle.WallSeconds:F1} s, {idle.Verifications} set verifications"));
        }

        var floor = await BareFloor.MeasureAsync([.. targets.Select(t => new FloorSet(t.Ips, t.Reader))], FloorLimit, ct);
        Console.WriteLine(Invariant($"floor: {floor.CpuSeconds:F2} CPU s for {floor.Rounds} rounds in {floor.WallSeconds:F1} s; idle clients {floor.IdleCpuSeconds:F2} CPU s in {floor.IdleWallSeconds:F1} s"));
        Console.WriteLine("load average at end: " + LoadAverage());
        Console.WriteLine(Invariant($"working set: operator {op.WorkingSetBytes() / (1024 * 1024)} MiB, harness with cluster and mongods {Environment.WorkingSet / (1024 * 1024)} MiB"));
        Console.WriteLine();
        Console.WriteLine(MembersReport.Latency(drift, events, targets.Count));
        Console.WriteLine(MembersReport.Cpu(profile.Sets, steady, idle, floor));
        Console.WriteLine(Invariant($"total {total.Elapsed.TotalSeconds:F0} s"));
    }

    internal static async Task SettleAsync(MembersProfile profile, MembersCluster cluster, OperatorProcess op, CancellationToken ct)
    {
        var settling = Stopwatch.StartNew();
        var verified = 0;
        try
        {
            await Waits.UntilAsync(async () =>
            {
                if (op.HasExited)
                {
                    throw new InvalidOperationException("the operator process exited during set-up");
                }

                verified = await FleetState.VerifiedSetsAsync(cluster.Admin, ct);
                return verified == profile.Sets;
            }, profile.SettleLimit, Invariant($"all {profile.Sets} sets Ready with {MembersProfile.MembersPerSet} verified members"), ct);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(Invariant($"{e.Message} (only {verified} were; try fewer with --sets)"), e);
        }

        Console.WriteLine(Invariant($"{profile.Sets} sets bootstrapped, Ready and verified in {settling.Elapsed.TotalSeconds:F1} s"));
    }

    // The Event follows the correction (it is recorded after the pass's corrections): give it up to one interval.
    static async Task<int> RevertedEventsAsync(MembersCluster cluster, int expected, CancellationToken ct)
    {
        var namespaces = cluster.Fleet.Select(f => f.Namespace).Distinct().ToList();
        var count = 0;
        try
        {
            await Waits.UntilAsync(async () => (count = await FleetState.RevertedEventsAsync(cluster.Admin, namespaces, ct)) >= expected,
                MembersProfile.Interval, "RuntimeSettingReverted Events", ct);
        }
        catch (TimeoutException)
        {
            // reported as the count found
        }

        return count;
    }

    // One member of each set, at a random moment over a few intervals (one seed: the same draw every run).
    static async Task<List<DriftTarget>> TargetsAsync(MembersCluster cluster, CancellationToken ct)
    {
        var random = new Random(Seed);
        var spread = MembersProfile.Interval * MembersProfile.DriftSpreadIntervals;
        var targets = new List<DriftTarget>();
        foreach (var (ns, set) in cluster.Fleet)
        {
            var ips = await FleetState.MemberIpsAsync(cluster.Admin, ns, set, ct);
            var writer = await FleetState.IdentityAsync(cluster.Admin, ns, set, "operator", ct);
            var reader = await FleetState.IdentityAsync(cluster.Admin, ns, set, "verifier", ct);
            targets.Add(new DriftTarget(set, random.Next(ips.Count), ips, writer, reader, spread * random.NextDouble()));
        }

        return targets;
    }

    // Every set's interval raised to the CRD's maximum: one verification for the spec change, then none is due.
    static async Task<CpuSample?> NothingDueAsync(MembersProfile profile, MembersCluster cluster, OperatorProcess op, CancellationToken ct)
    {
        var patch = new V1Patch("""{"spec":{"verification":{"intervalSeconds":""" + Invariant($"{VerificationSpec.MaxIntervalSeconds}") + "}}}",
            V1Patch.PatchType.MergePatch);
        foreach (var (ns, set) in cluster.Fleet)
        {
            await cluster.Admin.CustomObjects.PatchNamespacedCustomObjectAsync(patch, ApiGroup.Group, ApiGroup.Version, ns, ApiGroup.Plural, set,
                cancellationToken: ct);
        }

        var observed = 0;
        try
        {
            await Waits.UntilAsync(async () => (observed = await FleetState.ObservedSetsAsync(cluster.Admin, ct)) == profile.Sets, PhaseLimit,
                "every set to observe its new verification interval", ct);
        }
        catch (TimeoutException)
        {
            // An operator that cannot verify every set within the limit is a finding, not a failed set-up: the row says so.
            Console.WriteLine(Invariant($"nothing due: only {observed} of {profile.Sets} sets observed the new interval within {PhaseLimit.TotalSeconds:F0} s"));
            return null;
        }

        await Task.Delay(MembersProfile.Interval, ct); // the passes those edits started, and their status writes, end
        return await CpuWindow.MeasureAsync(op, MembersProfile.Interval * MembersProfile.CpuIntervals, ct);
    }

    internal static string LoadAverage()
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
