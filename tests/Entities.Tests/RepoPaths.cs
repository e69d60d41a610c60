using System.Runtime.CompilerServices;

namespace HipaaMongo.Entities.Tests;

/// <summary>Finds the checkout from this source file, because build output lives elsewhere (HM_ARTIFACTS).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot([CallerFilePath] string thisFile = "")
    {
        var dir = Path.GetDirectoryName(thisFile);
        while (dir is not null && !File.Exists(Path.Combine(dir, "Directory.Build.props")))
            dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root not found from " + thisFile);
    }
}
