using System.Diagnostics;

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
        var psi = new ProcessStartInfo(exe!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["KUBECONFIG"] = kubeconfig;
        psi.Environment["KUBECACHEDIR"] = cacheDir;
        psi.Environment["HOME"] = Path.GetDirectoryName(cacheDir)!;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
        }
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 60s");
        }
        return new Result(p.ExitCode, await stdout, await stderr);
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
