namespace HipaaMongo.LocalCluster.Tests;

/// <summary>Runs the real kubectl against a LocalCluster (KUBECONFIG and a private discovery cache).</summary>
public sealed class Kubectl(string kubeconfig, string cacheDir)
{
    public const string InstallHint =
        "kubectl was not found on PATH. Install kubectl v1.32 (e.g. `curl -LO https://dl.k8s.io/release/v1.32.4/bin/linux/amd64/kubectl && sudo install kubectl /usr/local/bin/`) or run `make prereqs`.";

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(dir, "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public async Task<Result> RunWithInputAsync(string? stdin, params string[] args)
    {
        var exe = Find();
        Assert.True(exe is not null, InstallHint);
        var env = new Dictionary<string, string>
        {
            ["KUBECONFIG"] = kubeconfig,
            ["KUBECACHEDIR"] = cacheDir,
            ["HOME"] = Path.GetDirectoryName(cacheDir)!,
        };
        var r = await Tool.RunAsync(exe!, args, TimeSpan.FromSeconds(60), stdin: stdin, env: env);
        return new Result(r.Code, r.Stdout, r.Stderr);
    }

    public Task<Result> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs and asserts success, returning stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed ({r.ExitCode}): {r.All}");
        return r.Stdout;
    }

    public async Task<string> ApplyAsync(string yaml, params string[] extra)
    {
        var r = await RunWithInputAsync(yaml, ["apply", "-f", "-", .. extra]);
        Assert.True(r.ExitCode == 0, $"kubectl apply failed ({r.ExitCode}): {r.All}");
        return r.Stdout;
    }
}
