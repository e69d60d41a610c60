using System.Diagnostics;
using System.Text;

namespace HipaaMongo.MongodSimulator.Config;

/// <summary>Runs a command as an __exec expansion does; returns its standard output or throws with the reason.</summary>
public delegate string ExecRunner(string command, TimeSpan timeout);

/// <summary>
/// mongod's shellExec (src/mongo/util/shell_exec.cpp): popen(3), that is <c>/bin/sh -c</c>; standard output only,
/// capped at 128 MiB; "Timeout expired" when the deadline passes; a non-zero status is a failure reported as
/// pclose(3) returns it (the wait status, exit code times 256).
/// </summary>
public static class ShellExec
{
    private const int MaxOutputChars = 128 << 20;

    public static string Run(string command, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Unable to launch command");
        var output = ReadCappedAsync(process.StandardOutput);
        _ = process.StandardError.ReadToEndAsync(); // drained so the child never blocks; mongod leaves stderr to the terminal
        if (!process.WaitForExit(timeout) || !output.Wait(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("Timeout expired");
        }

        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"Process returned non-zero exit code: {process.ExitCode * 256}");
    }

    private static async Task<string> ReadCappedAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while (text.Length < MaxOutputChars && (read = await reader.ReadAsync(buffer)) > 0)
        {
            text.Append(buffer, 0, Math.Min(read, MaxOutputChars - text.Length));
        }

        return text.ToString();
    }
}
