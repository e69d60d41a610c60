namespace HipaaMongo.ClusterSimulations.Pods.Mongod;

/// <summary>
/// Runs an init container's <c>sh -c "a &amp;&amp; b"</c> script when it only uses the file steps a config-preparing
/// init container needs (<c>cp DIR/* DIR/</c>, <c>cp FILE DEST</c>, <c>mkdir -p</c>, <c>chmod</c>, <c>umask</c>, <c>rm -f</c>, <c>cat A B &gt; C</c>,
/// <c>touch FILE</c>) on its mounted volumes, <c>test -f FILE || STEP</c> (STEP only when FILE is absent), and a
/// <c>mongod ...</c> step run by the caller (a simulated mongod that must exit 0). Anything else is refused with the
/// step named, so a pod never starts on a half-run script.
/// </summary>
public static class InitContainerSteps
{
    /// <summary>Runs a <c>mongod</c> step (its argv); null when it exited 0, else mongod's reason.</summary>
    public delegate Task<string?> MongodRunner(IReadOnlyList<string> argv);

    /// <summary>Runs the script; returns null on success, else why it could not run.</summary>
    public static string? Run(IReadOnlyList<string> argv, IReadOnlyList<KeyValuePair<string, string>> mounts) =>
        RunAsync(argv, mounts, _ => Task.FromResult<string?>("not a supported step")).GetAwaiter().GetResult();

    /// <summary>Runs the script with <paramref name="mongod"/> for its mongod steps; null on success, else why not.</summary>
    public static async Task<string?> RunAsync(IReadOnlyList<string> argv, IReadOnlyList<KeyValuePair<string, string>> mounts, MongodRunner mongod)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(mongod);
        if (argv.Count != 3 || argv[0] is not ("sh" or "/bin/sh" or "bash" or "/bin/bash") || argv[1] != "-c")
        {
            return $"init container command '{string.Join(' ', argv)}' cannot be simulated (only sh -c file steps)";
        }
        foreach (var step in argv[2].Split("&&", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var error = await RunGuardedAsync(step, mounts, mongod);
            if (error is not null)
            {
                return $"init container step '{step}': {error}";
            }
        }
        return null;
    }

    // "test -f FILE || STEP": sh runs STEP only when the test fails (the file is absent).
    private static async Task<string?> RunGuardedAsync(string step, IReadOnlyList<KeyValuePair<string, string>> mounts, MongodRunner mongod)
    {
        var parts = step.Split("||", 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2)
        {
            if (parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries) is not ["test", "-f", var file])
            {
                return "not a supported step";
            }
            if (ContainerPaths.Local(file, mounts) is { } local && File.Exists(local))
            {
                return null;
            }
            step = parts[1];
        }
        var words = step.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words is ["mongod", ..] ? await mongod(words) : RunStep(words, mounts);
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
                case ["touch", var file]:
                    using (File.Open(Map(file), FileMode.OpenOrCreate))
                    {
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
