using System.Diagnostics;

namespace HipaaMongo.TestSupport;

/// <summary>What a tool run printed and how it ended.</summary>
public sealed record ToolResult(int Code, string Stdout, string Stderr)
{
    /// <summary>Both streams, for a failure message.</summary>
    public string All => Stdout + Stderr;
}

/// <summary>
/// Runs a real tool (kubectl, helm, mongosh, a script) as a user does: arguments as a list (no shell), optional
/// standard input and environment, both streams read to the end, and killed with its children after a bound.
/// </summary>
public static class Tool
{
    public static async Task<ToolResult> RunAsync(string exe, IEnumerable<string> args, TimeSpan bound, string? stdin = null,
        IReadOnlyDictionary<string, string>? env = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var arguments = args.ToList();
        var info = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        arguments.ForEach(info.ArgumentList.Add);
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException(exe + " did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), ct);
        }
        process.StandardInput.Close();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(bound);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(exe)} {string.Join(' ', arguments)} did not finish in {bound.TotalSeconds} s");
        }
        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }
}
