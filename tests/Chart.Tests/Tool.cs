using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace HipaaMongo.Chart.Tests;

/// <summary>Runs helm and kubectl as a user does, bounded, and the repository's paths.</summary>
internal static class Tool
{
    public sealed record Result(int Code, string Stdout, string Stderr);

    public static string RepoRoot { get; } = Path.GetFullPath(Path.Combine(Here(), "..", ".."));

    public static string ChartDir { get; } = Path.Combine(RepoRoot, "charts", "hipaa-mongo-operator");

    /// <summary>helm from $HELM, else the copy scripts/install-helm.sh puts in .tools-helm (make prereqs runs it).</summary>
    public static string Helm
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("HELM") is { Length: > 0 } env ? env : Path.Combine(RepoRoot, ".tools-helm", "helm");
            Assert.True(File.Exists(path), $"helm not found at {path}: run scripts/install-helm.sh (make prereqs does)");
            return path;
        }
    }

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<Result> RunAsync(string exe, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }
        using var p = Process.Start(info) ?? throw new InvalidOperationException(exe + " did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
        }
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(exe)} {string.Join(' ', args)} did not finish in 120 s");
        }
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>`helm template` of the chart with the given value files and --set pairs; asserts success.</summary>
    public static async Task<string> TemplateAsync(string ns, params string[] extra)
    {
        var r = await RunAsync(Helm, ["template", "hm", ChartDir, "--namespace", ns, .. extra]);
        Assert.True(r.Code == 0, $"helm template {string.Join(' ', extra)} failed: {r.Stderr}");
        return r.Stdout;
    }

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
