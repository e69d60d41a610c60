using System.Runtime.CompilerServices;

namespace HipaaMongo.TestSupport;

/// <summary>
/// The repository's folders, found from this source file's path (build output may live anywhere: HM_ARTIFACTS),
/// else upwards from the build output.
/// </summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    /// <summary>A path under the repository root.</summary>
    public static string At(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The tools scripts/prereqs.sh installs (kubectl, mongosh, ...) in .tools.</summary>
    public static string Tools(params string[] parts) => At([".tools", .. parts]);

    private static string Find([CallerFilePath] string thisFile = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(thisFile), AppContext.BaseDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MongoOperator.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("repository root (MongoOperator.sln) not found above " + thisFile);
    }
}
