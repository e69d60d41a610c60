using System.Diagnostics;
using System.Text;

namespace HipaaMongo.Operator.Tests.Cli;

/// <summary>
/// Runs the built `hipaa-mongo run` executable (the apphost the build copies beside the tests: the same build that
/// bin/hipaa-mongo starts) as its own process, with a given environment, and collects what it wrote.
/// </summary>
internal static class OperatorRun
{
    public sealed record Result(int Code, string Stdout, string Stderr);

    private static string Executable => Path.Combine(AppContext.BaseDirectory, "hipaa-mongo");

    /// <summary>Runs until the process exits by itself (every start-up failure does, well within the bound).</summary>
    public static async Task<Result> ExitAsync(IReadOnlyDictionary<string, string?> env, CancellationToken ct, params string[] extra)
    {
        using var p = Start(env, extra, out var stdout, out var stderr);
        try
        {
            await p.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(45), ct);
        }
        finally
        {
            Stop(p);
        }
        p.WaitForExit(); // drains the redirected streams
        return new Result(p.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs until <paramref name="marker"/> appears in the log, then sends SIGTERM as a kubelet does.</summary>
    public static async Task<Result> UntilLogThenTermAsync(IReadOnlyDictionary<string, string?> env, string marker, CancellationToken ct)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var p = Start(env, [], out var stdout, out var stderr, line =>
        {
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        });
        try
        {
            await Task.WhenAny(seen.Task, p.WaitForExitAsync(ct)).WaitAsync(TimeSpan.FromSeconds(60), ct);
            if (!p.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync(ct);
                await p.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
            }
        }
        finally
        {
            Stop(p);
        }
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.ToString(), stderr.ToString());
    }

    private static Process Start(IReadOnlyDictionary<string, string?> env, string[] extra, out StringBuilder stdout,
        out StringBuilder stderr, Action<string>? onLine = null)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No listeners unless a test names one: the tests run in parallel and must not compete for ports.
        var listeners = new[] { "--probe-address", "--metrics-address" }.Where(o => !extra.Contains(o)).SelectMany(o => new[] { o, "" });
        foreach (var a in new[] { "run" }.Concat(listeners).Concat(extra))
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (key, value) in env)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }
        var p = Process.Start(info) ?? throw new InvalidOperationException("hipaa-mongo did not start");
        var (o, e) = (new StringBuilder(), new StringBuilder());
        (stdout, stderr) = (o, e);
        p.OutputDataReceived += (_, a) => Append(o, a.Data, onLine);
        p.ErrorDataReceived += (_, a) => Append(e, a.Data, onLine);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static void Append(StringBuilder to, string? line, Action<string>? onLine)
    {
        if (line is null)
        {
            return;
        }
        lock (to)
        {
            to.Append(line).Append('\n');
        }
        onLine?.Invoke(line);
    }

    private static void Stop(Process p)
    {
        if (!p.HasExited)
        {
            p.Kill(entireProcessTree: true);
        }
    }
}
