namespace HipaaMongo.Benchmarks.Drift;

/// <summary>Finds the repository root (for config/crds and config/samples) from the working directory or the binary.</summary>
public static class RepoPaths
{
    const string Marker = "config/samples/hipaa_v1alpha1_hipaamongo_minimal.yaml";

    public static string Root { get; } = Find();

    public static string At(string relative) => Path.Combine(Root, relative);

    static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"cannot find the repository root (no {Marker} above the working directory); run from the repository");
    }
}
