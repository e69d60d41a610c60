using System.Diagnostics;
using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>
/// Runs `kubectl kustomize config/default` once and parses the stream. The bases are copied to a
/// temporary tree first so the test never writes into the repository; config/crds needs a
/// kustomization.yaml naming the generated CRD, which the copy adds if the repository lacks it.
/// </summary>
internal static class KustomizeRender
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> Rendered = new(Render);

    public static IReadOnlyList<JsonObject> Objects => Rendered.Value;

    public static IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => o["kind"]?.GetValue<string>() == kind);

    private static List<JsonObject> Render()
    {
        var root = Path.Combine(Path.GetTempPath(), "hm-kustomize-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var dir in new[] { "crds", "rbac", "manager", "default" })
            {
                Copy(Path.Combine(TestPaths.RepoRoot, "config", dir), Path.Combine(root, dir));
            }

            var crdKustomization = Path.Combine(root, "crds", "kustomization.yaml");
            if (!File.Exists(crdKustomization))
            {
                File.WriteAllText(crdKustomization, "resources:\n  - hipaa.mongooperator.io_hipaamongos.yaml\n");
            }

            var yaml = Kubectl("kustomize", Path.Combine(root, "default"));
            return [.. YamlJson.Documents(yaml).OfType<JsonObject>()];
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Kubectl(params string[] args)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("kubectl kustomize did not finish in 120 s");
        }

        Assert.True(process.ExitCode == 0, "kubectl kustomize failed: " + stderr.Result);
        return stdout.Result;
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
