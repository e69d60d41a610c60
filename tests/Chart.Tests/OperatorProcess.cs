using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace HipaaMongo.Chart.Tests;

/// <summary>
/// The built `hipaa-mongo` (the apphost copied beside the tests) run as its own process with given arguments, as the
/// chart's container runs it; stopped with SIGTERM as a kubelet stops it, and killed if it does not stop.
/// </summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private OperatorProcess(Process process) => this.process = process;

    public bool HasExited => process.HasExited;

    /// <summary>The last part of what it logged, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                var text = output.ToString();
                return text.Length <= 4000 ? text : text[^4000..];
            }
        }
    }

    public static OperatorProcess Start(IEnumerable<string> args, string kubeconfig, string podNamespace)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "hipaa-mongo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["POD_NAMESPACE"] = podNamespace;
        info.Environment["KUBECONFIG"] = kubeconfig;
        info.Environment.Remove("KUBERNETES_SERVICE_HOST");
        var op = new OperatorProcess(Process.Start(info) ?? throw new InvalidOperationException("hipaa-mongo did not start"));
        op.process.OutputDataReceived += (_, e) => op.Append(e.Data);
        op.process.ErrorDataReceived += (_, e) => op.Append(e.Data);
        op.process.BeginOutputReadLine();
        op.process.BeginErrorReadLine();
        return op;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.Append(line).Append('\n');
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
    }
}
