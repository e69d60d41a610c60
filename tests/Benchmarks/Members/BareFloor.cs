using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>One set's members for the floor: pod IPs and the identity to read with (the verifier's, as the operator reads).</summary>
public sealed record FloorSet(IReadOnlyList<string> Ips, Identity Identity);

/// <summary>
/// What the floor process measured: CPU seconds over its timed rounds and their wall time, then the same clients
/// left idle (only the driver's own monitoring runs) for <see cref="BareFloor.IdleWindow"/>.
/// </summary>
public sealed record FloorResult(double CpuSeconds, int Rounds, double WallSeconds, double IdleCpuSeconds, double IdleWallSeconds);

/// <summary>
/// The floor: the least a per-member check can cost the checking process. A child process (so its CPU is its own,
/// like the operator's) opens one x.509 TLS connection per member, warms them with one round, then runs timed rounds
/// of one `getParameter redactClientLogData` per member, members of a set one after another and 4 sets at a time
/// (the operator's 4 workers). The sets arrive on stdin as JSON (the keys never touch a file or a command line).
/// </summary>
public static class BareFloor
{
    public const string ChildFlag = "--floor-child";
    const int Parallelism = 4;

    /// <summary>How long the floor's clients are left idle: one heartbeat period of the driver (10 s).</summary>
    public static TimeSpan IdleWindow { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Starts this harness again as the floor process, hands it the sets, and reads its result.</summary>
    public static async Task<FloorResult> MeasureAsync(IReadOnlyList<FloorSet> sets, TimeSpan limit, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BareFloor).Assembly.Location);
        }

        start.ArgumentList.Add("members");
        start.ArgumentList.Add(ChildFlag);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the floor process");
        try
        {
            await child.StandardInput.WriteAsync(JsonSerializer.Serialize(sets));
            child.StandardInput.Close();
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(limit);
            var output = await child.StandardOutput.ReadToEndAsync(bounded.Token);
            await child.WaitForExitAsync(bounded.Token);
            return child.ExitCode == 0 && JsonSerializer.Deserialize<FloorResult>(output.Trim()) is { } result
                ? result
                : throw new InvalidOperationException($"the floor process failed (exit {child.ExitCode}): {output.Trim()}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"the floor process did not finish within {limit.TotalSeconds:F0} s");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    /// <summary>The child's side: read the sets, run the rounds, print one JSON result line.</summary>
    public static async Task<int> RunChildAsync()
    {
        var sets = JsonSerializer.Deserialize<List<FloorSet>>(await Console.In.ReadToEndAsync()) ?? [];
        var shells = sets.Select(s => s.Ips.Select(ip => new MemberShell(ip, s.Identity)).ToList()).ToList();
        try
        {
            await RoundAsync(shells); // connects, handshakes and authenticates: not timed
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var r = 0; r < MembersProfile.FloorRounds; r++)
            {
                await RoundAsync(shells);
            }

            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var rounds = wall.Elapsed;
            // Idle: what holding these clients costs with no command sent (the driver's monitors alone).
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            wall.Restart();
            await Task.Delay(IdleWindow);
            var idle = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(JsonSerializer.Serialize(new FloorResult(used.TotalSeconds, MembersProfile.FloorRounds, rounds.TotalSeconds,
                idle.TotalSeconds, wall.Elapsed.TotalSeconds)));
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or MongoDB.Driver.MongoException)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"floor round failed: {e.GetType().Name}"));
            return 1;
        }
        finally
        {
            shells.SelectMany(s => s).ToList().ForEach(s => s.Dispose());
        }
    }

    static Task RoundAsync(List<List<MemberShell>> shells) =>
        Parallel.ForEachAsync(shells, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (set, ct) =>
        {
            foreach (var member in set)
            {
                if (!await member.RedactAsync(ct))
                {
                    throw new InvalidOperationException("a member reported redactClientLogData false during the floor rounds");
                }
            }
        });
}
