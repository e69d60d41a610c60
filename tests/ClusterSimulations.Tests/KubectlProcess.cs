namespace HipaaMongo.ClusterSimulations.Tests;

/// <summary>The real kubectl against a test's LocalCluster, with a private discovery cache and HOME under the test's folder.</summary>
internal static class KubectlProcess
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string kubeconfig, string dir, string? stdin,
        CancellationToken ct, params string[] args)
    {
        var env = new Dictionary<string, string>
        {
            ["KUBECONFIG"] = kubeconfig,
            ["KUBECACHEDIR"] = Path.Combine(dir, "cache"),
            ["HOME"] = dir,
        };
        var r = await Tool.RunAsync("kubectl", args, TimeSpan.FromSeconds(120), stdin ?? "", env, ct);
        return (r.Code, r.Stdout, r.Stderr);
    }
}
