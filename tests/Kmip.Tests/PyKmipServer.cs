using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace HipaaMongo.Kmip.Tests;

/// <summary>
/// Debian's PyKMIP server (scripts/pykmip-server.sh, installed by scripts/install-pykmip.sh from prereqs) on a free
/// loopback port with a <see cref="TestPki"/>, for the life of one test class. Started in its own process group,
/// so stopping it also stops the helper processes PyKMIP forks (its policy monitor).
/// </summary>
public sealed partial class PyKmipServer : IAsyncLifetime
{
    private readonly System.Text.StringBuilder _output = new();
    private Process? _process;

    public TestPki Pki { get; } = TestPki.Create();

    public int Port { get; private set; }

    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string LogFile => Path.Combine(Pki.Directory, "server.log");

    public async ValueTask InitializeAsync()
    {
        // A port can be taken between choosing and binding it: try a few, each a fresh free one.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Port = FreePort();
            _process = Start(Port);
            if (await WaitListeningAsync(_process, Port))
            {
                return;
            }
            await StopAsync();
        }
        throw new InvalidOperationException($"pykmip-server did not start; its output:\n{Output}\nits log:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Pki.Dispose();
    }

    private Process Start(int port)
    {
        var script = RepoPaths.At("scripts", "pykmip-server.sh");
        var info = new ProcessStartInfo("setsid", ["bash", script, Pki.Directory, port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start pykmip-server");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Ready when the port accepts TCP, or false when the server exited first (e.g. the port was taken).</summary>
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

    /// <summary>SIGINT makes PyKMIP leave its accept loop at once (SIGTERM waits for a 10 s accept timeout); then SIGKILL what is left of the group.</summary>
    private async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }
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
        _process = null;
    }

    private const int SigInt = 2;
    private const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
