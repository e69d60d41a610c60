using System.Diagnostics;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>
/// The operator as its own process (`hipaa-mongo run`, built with this harness into the same output directory), so
/// its CPU time is its alone: <see cref="Process.TotalProcessorTime"/> is utime + stime of /proc/&lt;pid&gt;/stat on
/// Linux. Its JSON log is read line by line to count member verifications ("verified NAME: 3 of 3 members reached").
/// </summary>
public sealed class OperatorProcess : IDisposable
{
    const string VerifiedMarker = "members reached";

    readonly Process process;
    readonly Stopwatch sinceStart;
    readonly List<(TimeSpan At, string Line)> marked = [];
    long verifications;
    int lines;
    int disposed;

    OperatorProcess(Process process, Stopwatch sinceStart)
    {
        this.process = process;
        this.sinceStart = sinceStart;
    }

    /// <summary>Verification passes finished so far (one per set per round), from the operator's log.</summary>
    public long Verifications => Interlocked.Read(ref verifications);

    public bool HasExited => process.HasExited;

    /// <summary>
    /// Log lines containing any of these markers are kept with the time since the process started, as read from its
    /// output (a few milliseconds after it was written): the start-up milestones a cold-start run prints.
    /// </summary>
    public IReadOnlyList<string> Markers { get; init; } = [];

    /// <summary>When set, every log line is appended to this file, prefixed by the milliseconds since start.</summary>
    public string? LogPath { get; init; }

    /// <summary>The first line seen for each marker, with its time since start, in order of arrival.</summary>
    public IReadOnlyList<(TimeSpan At, string Line)> Marked
    {
        get
        {
            lock (marked)
            {
                return [.. marked];
            }
        }
    }

    /// <summary>
    /// Starts `hipaa-mongo run`; <paramref name="probeAddress"/> serves /readyz when given; <paramref name="environment"/>
    /// adds variables (GC settings); <paramref name="executable"/> runs another build (a ReadyToRun publish).
    /// </summary>
    public static OperatorProcess Start(string kubeconfig, string probeAddress = "", IReadOnlyDictionary<string, string>? environment = null,
        string? executable = null, IReadOnlyList<string>? markers = null, string? logPath = null)
    {
        var start = new ProcessStartInfo(executable ?? Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "--kubeconfig", kubeconfig, "--probe-address", probeAddress, "--metrics-address", "" })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var sinceStart = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the operator process");
        var op = new OperatorProcess(process, sinceStart) { Markers = markers ?? [], LogPath = logPath };
        // Never leave an operator behind: a harness stopped by SIGTERM or a failure still ends its child.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => op.Dispose();
        process.OutputDataReceived += (_, e) => op.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => op.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return op;
    }

    /// <summary>CPU seconds (user + system) the operator process has used so far.</summary>
    public double CpuSeconds()
    {
        process.Refresh();
        return process.HasExited
            ? throw new InvalidOperationException($"the operator process exited with code {process.ExitCode}")
            : process.TotalProcessorTime.TotalSeconds;
    }

    public long WorkingSetBytes()
    {
        process.Refresh();
        return process.WorkingSet64;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        process.Dispose();
    }

    void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (LogPath is not null)
        {
            lock (marked)
            {
                File.AppendAllText(LogPath, $"{sinceStart.ElapsedMilliseconds,7} {line}\n");
            }
        }

        if (Markers.Count > 0)
        {
            var at = sinceStart.Elapsed;
            lock (marked)
            {
                foreach (var marker in Markers)
                {
                    if (line.Contains(marker, StringComparison.Ordinal) && !marked.Any(m => m.Line.Contains(marker, StringComparison.Ordinal)))
                    {
                        marked.Add((at, line));
                    }
                }
            }
        }

        if (line.Contains(VerifiedMarker, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref verifications);
        }

        // The first lines say why an operator that will not start failed; later lines are its ordinary log.
        if (Interlocked.Increment(ref lines) <= 5 && line.Contains("rror", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("operator: " + line);
        }
    }

    // The apphost next to the harness (the Operator project is referenced, so `hipaa-mongo` is copied into this output).
    static string Executable()
    {
        var path = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "hipaa-mongo.exe" : "hipaa-mongo");
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"no operator executable at {path}: build tests/Benchmarks, which references src/Operator");
    }
}
