namespace HipaaMongo.ClusterSimulations.Pods.Mongod;

/// <summary>Translates paths inside a container to local paths through its mount map (longest mountPath first), pure.</summary>
public static class ContainerPaths
{
    /// <summary>The local path of <paramref name="containerPath"/>, or null when no volume holds it (the image's own filesystem).</summary>
    public static string? Local(string containerPath, IReadOnlyList<KeyValuePair<string, string>> mounts)
    {
        ArgumentNullException.ThrowIfNull(containerPath);
        ArgumentNullException.ThrowIfNull(mounts);
        foreach (var (mount, local) in mounts)
        {
            if (containerPath == mount)
            {
                return local;
            }
            if (containerPath.StartsWith(mount + "/", StringComparison.Ordinal))
            {
                return Path.Combine(local, containerPath[(mount.Length + 1)..]);
            }
        }
        return null;
    }

    /// <summary>The value of --config / --config=… / -f in a container's command line, or null.</summary>
    public static string? ConfigArgument(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        for (var i = 0; i < argv.Count; i++)
        {
            if (argv[i] is "--config" or "-f" && i + 1 < argv.Count)
            {
                return argv[i + 1];
            }
            if (argv[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                return argv[i]["--config=".Length..];
            }
        }
        return null;
    }
}
