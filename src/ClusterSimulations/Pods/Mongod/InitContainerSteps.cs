namespace HipaaMongo.ClusterSimulations.Pods.Mongod;

/// <summary>
/// Runs an init container's <c>sh -c "a &amp;&amp; b"</c> script when it only uses the file steps a config-preparing
/// init container needs (<c>cp DIR/* DIR/</c>, <c>cp FILE DEST</c>, <c>mkdir -p</c>, <c>chmod</c>, <c>umask</c>, <c>rm -f</c>, <c>cat A B &gt; C</c>) on
/// its mounted volumes. Anything else is refused with the step named, so a pod never starts on a half-run script.
/// </summary>
public static class InitContainerSteps
{
    /// <summary>Runs the script; returns null on success, else why it could not run.</summary>
    public static string? Run(IReadOnlyList<string> argv, IReadOnlyList<KeyValuePair<string, string>> mounts)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count != 3 || argv[0] is not ("sh" or "/bin/sh" or "bash" or "/bin/bash") || argv[1] != "-c")
        {
            return $"init container command '{string.Join(' ', argv)}' cannot be simulated (only sh -c file steps)";
        }
        foreach (var step in argv[2].Split("&&", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var error = RunStep(step.Split(' ', StringSplitOptions.RemoveEmptyEntries), mounts);
            if (error is not null)
            {
                return $"init container step '{step}': {error}";
            }
        }
        return null;
    }

    private static string? RunStep(string[] w, IReadOnlyList<KeyValuePair<string, string>> mounts)
    {
        string Map(string p) => ContainerPaths.Local(p, mounts) ?? throw new IOException($"{p} is not on a volume (read-only root filesystem)");
        try
        {
            switch (w)
            {
                case ["mkdir", "-p", .. var dirs]:
                    foreach (var d in dirs)
                    {
                        Directory.CreateDirectory(Map(d));
                    }
                    return null;
                case ["chmod", _, ..] or ["umask", _]:
                    return null; // modes do not change what the simulator can read (it runs as the owner)
                case ["rm", "-f", .. var files]:
                    foreach (var f in files)
                    {
                        Remove(Map(f.EndsWith("/*", StringComparison.Ordinal) ? f[..^2] : f), f.EndsWith("/*", StringComparison.Ordinal));
                    }
                    return null;
                case ["cp", var from, var to] when from.EndsWith("/*", StringComparison.Ordinal):
                    foreach (var f in Directory.GetFiles(Map(from[..^2])))
                    {
                        File.Copy(f, Path.Combine(Map(to.TrimEnd('/')), Path.GetFileName(f)), overwrite: true);
                    }
                    return null;
                case ["cp", var from, var to]:
                    var dest = Map(to.TrimEnd('/'));
                    File.Copy(Map(from), Directory.Exists(dest) ? Path.Combine(dest, Path.GetFileName(from)) : dest, overwrite: true);
                    return null;
                case ["cat", .. var rest] when rest.Length >= 3 && rest[^2] == ">":
                    File.WriteAllBytes(Map(rest[^1]), [.. rest[..^2].SelectMany(f => File.ReadAllBytes(Map(f)))]);
                    return null;
                default:
                    return "not a supported step";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    // rm -f: a missing file is no error; "DIR/*" removes the files of DIR (not its dot-files, as sh's glob).
    private static void Remove(string path, bool contents)
    {
        if (!contents)
        {
            File.Delete(path);
            return;
        }

        if (!Directory.Exists(path)) return;
        foreach (var f in Directory.GetFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            File.Delete(f);
        }
    }
}
