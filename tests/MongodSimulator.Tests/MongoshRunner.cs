namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>Finds (or installs with scripts/install-mongosh.sh) the real mongosh and runs it (TestSupport's runner).</summary>
internal static class MongoshRunner
{
    /// <summary>Uses ./.tools/node_modules/.bin/mongosh, installing it with the project's script when missing.</summary>
    public static async Task<string> EnsureAsync()
    {
        var mongosh = Mongosh.Path;
        if (File.Exists(mongosh))
        {
            return mongosh;
        }

        var (code, output) = await RunAsync(RepoPaths.At("scripts", "install-mongosh.sh"), [], TimeSpan.FromMinutes(8));
        Assert.True(code == 0, $"scripts/install-mongosh.sh failed (is npm installed?): {output}");
        return mongosh;
    }

    public static async Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var result = await Tool.RunAsync(file, args, timeout, env: new Dictionary<string, string> { ["MONGOSH_DISABLE_TELEMETRY"] = "1" },
            ct: TestContext.Current.CancellationToken);
        return (result.Code, result.All);
    }
}
