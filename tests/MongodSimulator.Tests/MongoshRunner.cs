using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>Finds (or installs with scripts/install-mongosh.sh) the real mongosh and runs it.</summary>
internal static class MongoshRunner
{
    /// <summary>Uses ./.tools/node_modules/.bin/mongosh, installing it with the project's script when missing.</summary>
    public static async Task<string> EnsureAsync([CallerFilePath] string thisFile = "")
    {
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
        var mongosh = Path.Combine(root, ".tools", "node_modules", ".bin", "mongosh");
        if (File.Exists(mongosh))
        {
            return mongosh;
        }

        var (code, output) = await RunAsync(Path.Combine(root, "scripts", "install-mongosh.sh"), [], TimeSpan.FromMinutes(8));
        Assert.True(code == 0, $"scripts/install-mongosh.sh failed (is npm installed?): {output}");
        return mongosh;
    }

    public static async Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["MONGOSH_DISABLE_TELEMETRY"] = "1";
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
