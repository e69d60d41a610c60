using System.Diagnostics;
using System.Globalization;
using HipaaMongo.Benchmarks.Drift;
using HipaaMongo.Benchmarks.Members;
using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;

namespace HipaaMongo.Benchmarks.Users;

/// <summary>
/// `users [--quick] [--sets N] [--users M]`: one operator process (`hipaa-mongo run`) with M HipaaMongoUsers over N
/// replica sets on an in-process LocalCluster with every simulation. Reports, as ratios in one run: the per-user
/// time to Ready at scale against the same at a tenth of the users; the first wave against a floor (the Secret and
/// createUser any operator must make, from a separate client); and the writes and CPU of the settled state, where
/// every user's drift check reads but never writes.
/// </summary>
public static class UsersHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (UsersProfile.Parse(args) is not { } profile)
        {
            await Console.Error.WriteLineAsync(UsersProfile.Usage);
            return args.Contains("--help") ? 0 : 2;
        }

        return await HarnessRun.RunAsync("users", profile.RunLimit, () => RunProfileAsync(profile));
    }

    static async Task RunProfileAsync(UsersProfile profile)
    {
        using var cts = new CancellationTokenSource(profile.RunLimit);
        var ct = cts.Token;
        Console.WriteLine(Invariant($"users run '{profile.Name}': {profile.Users} HipaaMongoUsers (SCRAM, read@patients) over {profile.Sets} replica sets, one operator process, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
        Console.WriteLine("load average at start: " + MembersHarness.LoadAverage());
        await using var cluster = await MembersCluster.StartAsync(ct);
        await cluster.SeedAsync(profile.Sets, ct);
        using var op = OperatorProcess.Start(cluster.KubeconfigPath);
        await MembersHarness.SettleAsync(new MembersProfile("users", profile.Sets, profile.SettleLimit, profile.RunLimit), cluster, op, ct);

        var floor = await UsersFloor.MeasureAsync(cluster.Admin, await FloorTargetsAsync(cluster, ct), profile.FirstWave, ct);
        Console.WriteLine(Invariant($"floor: {profile.FirstWave} Secrets and createUser from a separate client, one stream per set, in {floor:F1} s"));
        var first = await WaveAsync(cluster, op, 0, profile.FirstWave, ct);
        var rest = await WaveAsync(cluster, op, profile.FirstWave, profile.Users, ct);
        var settled = await SettledAsync(cluster, op, profile.Users, ct);
        await UserFleet.DeleteAllAsync(cluster.Admin, cluster.Fleet, profile.Users, ct);
        var baseline = await CpuRateAsync(op, ct);
        Console.WriteLine(Invariant($"users deleted, then without users: operator CPU {baseline * 1000:F0} ms per s (the sets' own verification)"));
        Console.WriteLine("load average at end: " + MembersHarness.LoadAverage());
        Console.WriteLine(Invariant($"working set: operator {op.WorkingSetBytes() / (1024 * 1024)} MiB"));
        Console.WriteLine();
        Console.WriteLine(UsersReport.Table(profile, floor, first, rest, settled, baseline));
    }

    static async Task<IReadOnlyList<UsersFloor.Target>> FloorTargetsAsync(MembersCluster cluster, CancellationToken ct)
    {
        var targets = new List<UsersFloor.Target>();
        foreach (var (ns, set) in cluster.Fleet)
        {
            targets.Add(new UsersFloor.Target(ns, set, await FleetState.MemberIpsAsync(cluster.Admin, ns, set, ct),
                await FleetState.IdentityAsync(cluster.Admin, ns, set, "operator", ct)));
        }

        return targets;
    }

    /// <summary>
    /// The operator's CPU seconds per wall second over 60 s with the same sets and no user, read last: in its first
    /// minutes a .NET process also spends CPU recompiling hot methods (tiered compilation), which would inflate an
    /// earlier reading. Two verification intervals of quiet come first (the users' drops and Events end).
    /// </summary>
    static async Task<double> CpuRateAsync(OperatorProcess op, CancellationToken ct)
    {
        await Task.Delay(MembersProfile.Interval * MembersProfile.WarmIntervals, ct);
        var window = TimeSpan.FromSeconds(60);
        var cpu = op.CpuSeconds();
        await Task.Delay(window, ct);
        return (op.CpuSeconds() - cpu) / window.TotalSeconds;
    }

    /// <summary>Creates users [from, to) and times them from the first create to the last Ready.</summary>
    static async Task<Wave> WaveAsync(MembersCluster cluster, OperatorProcess op, int from, int to, CancellationToken ct)
    {
        var cpu = op.CpuSeconds();
        var clock = Stopwatch.StartNew();
        await UserFleet.CreateAsync(cluster.Admin, cluster.Fleet, from, to, ct);
        var ready = 0;
        await Waits.UntilAsync(async () => (ready = await UserFleet.ReadyAsync(cluster.Admin, ct)) >= to,
            TimeSpan.FromSeconds(30) + TimeSpan.FromSeconds(1) * (to - from), $"{to} HipaaMongoUsers Ready", ct);
        var wave = new Wave(to - from, clock.Elapsed.TotalSeconds, op.CpuSeconds() - cpu);
        Console.WriteLine(Invariant($"wave: users {from}..{to - 1} Ready in {wave.Seconds:F1} s, operator CPU {wave.CpuSeconds:F1} s"));
        return wave;
    }

    /// <summary>
    /// Over one and a half drift intervals after every user is Ready (so each user's periodic check ran at least
    /// once), the operator's writes to what the users own, and its CPU.
    /// </summary>
    static async Task<Settled> SettledAsync(MembersCluster cluster, OperatorProcess op, int users, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(5), ct); // the last status writes and journal entries of the waves land
        var mark = cluster.Server.AuditTrail.Records.Count;
        var window = Operator.Users.UserAccessReconciler.DriftInterval * 1.5;
        var cpu = op.CpuSeconds();
        await Task.Delay(window, ct);
        var spent = op.CpuSeconds() - cpu;
        var writes = cluster.Server.AuditTrail.Records.Skip(mark).Count(r => AuditTrail.WriteVerbs.Contains(r.Verb) && !r.DryRun && OwnedByUsers(r));
        Console.WriteLine(Invariant($"settled: {writes} writes to users, their Secrets, their Events and the access journals in {window.TotalSeconds:F0} s; operator CPU {spent:F1} s"));
        return new Settled(window.TotalSeconds, writes, spent, users);
    }

    static bool OwnedByUsers(AuditRecord r) =>
        r.Resource == UserApiGroup.Plural
        || (r.Resource == "secrets" && r.Name?.EndsWith("-mongodb-user", StringComparison.Ordinal) == true)
        || (r.Resource == "configmaps" && r.Name?.EndsWith("-access-journal", StringComparison.Ordinal) == true)
        || (r.Resource == "events" && r.Name?.StartsWith("clerk-", StringComparison.Ordinal) == true);

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One wave of users: how many, wall seconds to all Ready, operator CPU seconds meanwhile.</summary>
public sealed record Wave(int Users, double Seconds, double CpuSeconds)
{
    public double MillisecondsPerUser => Seconds * 1000 / Users;
}

/// <summary>The settled window: its length, the writes seen in it, the operator's CPU, the users present.</summary>
public sealed record Settled(double Seconds, int Writes, double CpuSeconds, int Users)
{
    public double CpuRate => CpuSeconds / Seconds;
}
