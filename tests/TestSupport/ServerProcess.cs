using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace HipaaMongo.TestSupport;

/// <summary>
/// A real server (slapd, PyKMIP, ...) started by a script on a free loopback port, for the life of one test class.
/// It runs in its own process group (setsid), so stopping it also stops whatever it forked (PyKMIP's policy
/// monitor). Ready when the port accepts TCP; a port taken between choosing and binding it is retried.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly OutputLog _output;

    private ServerProcess(Process process, OutputLog output, int port)
    {
        _process = process;
        _output = output;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the server printed so far, for a failure message.</summary>
    public string Output => _output.Text;

    /// <summary>Runs <c>bash script args(port)</c> until it listens, trying up to three fresh ports.</summary>
    /// <param name="diagnostics">more to show when it never listens (e.g. the server's own log file)</param>
    public static async Task<ServerProcess> StartAsync(string script, Func<int, IEnumerable<string>> args, Func<string>? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var output = new OutputLog();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var process = Start(script, args(port), output);
            var server = new ServerProcess(process, output, port);
            if (await WaitListeningAsync(process, port))
            {
                return server;
            }
            await server.DisposeAsync();
        }
        throw new InvalidOperationException(
            $"{Path.GetFileName(script)} did not start; its output:\n{output.Text}{(diagnostics is null ? "" : "\n" + diagnostics())}");
    }

    /// <summary>SIGINT first (PyKMIP leaves its accept loop at once on it, where SIGTERM waits for a 10 s accept
    /// timeout; slapd shuts down on either), then SIGKILL whatever is left of the group.</summary>
    public async ValueTask DisposeAsync()
    {
        var group = _process.Id;
        _ = Kill(-group, SigInt);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            // Fall through to SIGKILL.
        }
        _ = Kill(-group, SigKill);
        _process.Dispose();
    }

    private static Process Start(string script, IEnumerable<string> args, OutputLog output)
    {
        var info = new ProcessStartInfo("setsid", ["bash", script, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + script);
        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => output.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>True when the port accepts TCP, false when the server exited first (e.g. the port was taken).</summary>
    private static async Task<bool> WaitListeningAsync(Process process, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                return false;
            }
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int SigInt = 2;
    private const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Lines from both streams, which arrive on pool threads.</summary>
    private sealed class OutputLog
    {
        private readonly System.Text.StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public void Append(string? line)
        {
            lock (_text)
            {
                _text.AppendLine(line);
            }
        }
    }
}
