namespace HipaaMongo.Chart.Tests;

/// <summary>Runs helm and kubectl as a user does, bounded, and the repository's paths.</summary>
internal static class Tool
{
    public sealed record Result(int Code, string Stdout, string Stderr);

    public static string RepoRoot => RepoPaths.Root;

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
        var r = await TestSupport.Tool.RunAsync(exe, args, TimeSpan.FromSeconds(120), stdin: stdin, env: env);
        return new Result(r.Code, r.Stdout, r.Stderr);
    }

    /// <summary>`helm template` of the chart with the given value files and --set pairs; asserts success.</summary>
    public static async Task<string> TemplateAsync(string ns, params string[] extra)
    {
        var r = await RunAsync(Helm, ["template", "hm", ChartDir, "--namespace", ns, .. extra]);
        Assert.True(r.Code == 0, $"helm template {string.Join(' ', extra)} failed: {r.Stderr}");
        return r.Stdout;
    }
}
