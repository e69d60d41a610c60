using System.Diagnostics;

namespace HipaaMongo.ClusterSimulations.Tests;

/// <summary>The real kubectl against a test's LocalCluster, with a private discovery cache and HOME under the test's folder.</summary>
internal static class KubectlProcess
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string kubeconfig, string dir, string? stdin,
        CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo("kubectl")
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
        psi.Environment["KUBECACHEDIR"] = Path.Combine(dir, "cache");
        psi.Environment["HOME"] = dir;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.StandardInput.WriteAsync(stdin ?? "");
        p.StandardInput.Close();
        await p.WaitForExitAsync(ct);
        return (p.ExitCode, await stdout, await stderr);
    }
}
