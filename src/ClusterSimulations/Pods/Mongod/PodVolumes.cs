using System.Runtime.InteropServices;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Pods.Mongod;

/// <summary>
/// The kubelet's volume set-up, on the local disk: each pod volume becomes a directory (ConfigMap and Secret keys as
/// files, all keys or only <c>items</c> at their paths, with defaultMode/mode), claims keep their directory across
/// pods. <see cref="MountMap"/> then says where each container mountPath lives here.
/// </summary>
public sealed class PodVolumes(IPodVolumeSource source, string podDirectory, string claimsDirectory)
{
    private const int DefaultMode = 420; // 0644, the API default for configMap/secret volumes

    /// <summary>Materialises every volume of <paramref name="pod"/>; returns volume name → directory. Throws <see cref="PodVolumeException"/>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> MaterialiseAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var dirs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            dirs[volume.Name] = await MaterialiseAsync(ns, volume, cancellationToken);
        }
        return dirs;
    }

    /// <summary>
    /// The kubelet's periodic sync: ConfigMap, Secret and projected volumes are rewritten from the current objects (each file
    /// replaced atomically), so a renewed certificate reaches a running pod; a missing object keeps the old files.
    /// </summary>
    public async Task RefreshAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        foreach (var volume in (pod.Spec.Volumes ?? []).Where(v => v.ConfigMap is not null || v.Secret is not null || v.Projected is not null))
        {
            try
            {
                await MaterialiseAsync(ns, volume, cancellationToken);
            }
            catch (PodVolumeException)
            {
                // as the kubelet: a failed update leaves the mounted files as they were
            }
        }
    }

    /// <summary>mountPath → local directory (or file, with subPath) for one container, longest mountPath first.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> MountMap(V1Container container, IReadOnlyDictionary<string, string> volumes)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(volumes);
        return [.. (container.VolumeMounts ?? [])
            .Where(m => volumes.ContainsKey(m.Name))
            .Select(m => KeyValuePair.Create(m.MountPath.TrimEnd('/'),
                string.IsNullOrEmpty(m.SubPath) ? volumes[m.Name] : Path.Combine(volumes[m.Name], m.SubPath)))
            .OrderByDescending(p => p.Key.Length)];
    }

    private async Task<string> MaterialiseAsync(string ns, V1Volume volume, CancellationToken ct)
    {
        if (volume.PersistentVolumeClaim is { } claim)
        {
            return Directory.CreateDirectory(Path.Combine(claimsDirectory, Safe(ns), Safe(claim.ClaimName))).FullName;
        }
        var dir = Directory.CreateDirectory(Path.Combine(podDirectory, "volumes", Safe(volume.Name))).FullName;
        if (volume.ConfigMap is { } cm)
        {
            var data = await source.ConfigMapAsync(ns, cm.Name, ct);
            WriteKeys(dir, volume.Name, new($"configmap \"{cm.Name}\"", "configmap references non-existent config key"), data, cm.Items,
                cm.DefaultMode, cm.Optional == true);
        }
        else if (volume.Secret is { } secret)
        {
            var data = await source.SecretAsync(ns, secret.SecretName, ct);
            WriteKeys(dir, volume.Name, new($"secret \"{secret.SecretName}\"", "references non-existent secret key"), data, secret.Items,
                secret.DefaultMode, secret.Optional == true);
        }
        else if (volume.Projected is { } projected)
        {
            await ProjectAsync(ns, dir, volume.Name, projected, ct);
        }
        return dir;
    }

    // Kubelet projected volume (pkg/volume/projected/projected.go collectData): every source's keys gathered first
    // (items or all keys, mode item.mode else the volume's defaultMode; a missing object or key is an error unless the
    // source is optional), then written in one AtomicWriter.Write (pkg/volume/util/atomic_writer.go): the files go into
    // a new timestamped directory, the `..data` link is swapped to it in one rename, and each file is a link through
    // `..data`. A reader thus sees every source from the same sync, never one source's new file beside another's old.
    private async Task ProjectAsync(string ns, string dir, string volume, V1ProjectedVolumeSource projected, CancellationToken ct)
    {
        var payload = new Dictionary<string, (byte[] Bytes, int Mode)>(StringComparer.Ordinal);
        var defaultMode = projected.DefaultMode ?? DefaultMode;
        foreach (var source in projected.Sources ?? [])
        {
            if (source.Secret is { } secret)
            {
                Collect(payload, volume, new($"secret \"{secret.Name}\"", "references non-existent secret key"),
                    await Source(ns, secret.Name, isSecret: true, ct), secret.Items, defaultMode, secret.Optional == true);
            }
            else if (source.ConfigMap is { } cm)
            {
                Collect(payload, volume, new($"configmap \"{cm.Name}\"", "configmap references non-existent config key"),
                    await Source(ns, cm.Name, isSecret: false, ct), cm.Items, defaultMode, cm.Optional == true);
            }
        }
        AtomicWrite(dir, payload);
    }

    private Task<IReadOnlyDictionary<string, byte[]>?> Source(string ns, string name, bool isSecret, CancellationToken ct) =>
        isSecret ? source.SecretAsync(ns, name, ct) : source.ConfigMapAsync(ns, name, ct);

    private static void Collect(Dictionary<string, (byte[] Bytes, int Mode)> payload, string volume, (string Object, string MissingKey) what,
        IReadOnlyDictionary<string, byte[]>? data, IList<V1KeyToPath>? items, int defaultMode, bool optional)
    {
        if (data is null)
        {
            if (optional)
            {
                return;
            }
            throw PodVolumeException.Mount(volume, $"{what.Object} not found");
        }
        var files = items is { Count: > 0 } ? items.Select(i => (i.Key, i.Path, i.Mode)) : data.Keys.Select(k => (Key: k, Path: k, Mode: (int?)null));
        foreach (var (key, path, mode) in files)
        {
            if (data.TryGetValue(key, out var bytes))
            {
                payload[path] = (bytes, mode ?? defaultMode);
            }
            else if (!optional)
            {
                throw PodVolumeException.Mount(volume, $"{what.MissingKey}: {key}");
            }
        }
    }

    private static void AtomicWrite(string dir, Dictionary<string, (byte[] Bytes, int Mode)> payload)
    {
        var stamp = $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss.fffffff}_{Guid.NewGuid():N}";
        foreach (var (path, (bytes, mode)) in payload)
        {
            WriteFile(Path.Combine(dir, stamp, path), bytes, mode);
        }
        var data = Path.Combine(dir, "..data");
        var previous = Directory.Exists(data) ? new DirectoryInfo(data).LinkTarget : null;
        var temp = Path.Combine(dir, "..data_tmp");
        File.Delete(temp);
        File.CreateSymbolicLink(temp, stamp);
        // rename(2) over the old link: the one swap a reader never sees half of (File.Move refuses a link to a directory).
        if (NativeRename.Rename(temp, data) != 0)
        {
            throw new IOException($"rename {temp} -> {data} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        foreach (var path in payload.Keys)
        {
            var link = new FileInfo(Path.Combine(dir, path));
            var target = Path.Combine("..data", path);
            if (link.LinkTarget != target)
            {
                // A plain file from an earlier volume of the same name (a Secret volume before) gives way to the link.
                link.Delete();
                File.CreateSymbolicLink(link.FullName, target);
            }
        }
        if (previous is not null && previous != stamp && Directory.Exists(Path.Combine(dir, previous)))
        {
            Directory.Delete(Path.Combine(dir, previous), recursive: true);
        }
    }

    // Kubelet: a missing object or listed key keeps the pod from starting unless optional, with the volume plugins'
    // wording (pkg/volume/{secret,configmap}). Messages name keys, never values.
    private static void WriteKeys(string dir, string volume, (string Object, string MissingKey) what, IReadOnlyDictionary<string, byte[]>? data,
        IList<V1KeyToPath>? items, int? defaultMode, bool optional)
    {
        if (data is null)
        {
            if (optional)
            {
                return;
            }
            throw PodVolumeException.Mount(volume, $"{what.Object} not found");
        }
        var files = items is { Count: > 0 }
            ? items.Select(i => (i.Key, i.Path, i.Mode))
            : data.Keys.Select(k => (Key: k, Path: k, Mode: (int?)null));
        foreach (var (key, path, mode) in files)
        {
            if (!data.TryGetValue(key, out var bytes))
            {
                if (optional)
                {
                    continue;
                }
                throw PodVolumeException.Mount(volume, $"{what.MissingKey}: {key}");
            }
            WriteFile(Path.Combine(dir, path), bytes, mode ?? defaultMode ?? DefaultMode);
        }
    }

    private static void WriteFile(string path, byte[] bytes, int mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written aside then renamed, so a reader (rotateCertificates) never sees half a file, like the kubelet's atomic writer.
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        if (!OperatingSystem.IsWindows())
        {
            // Keep the owner able to read even for 0400/0440 modes; the simulator runs as this user.
            File.SetUnixFileMode(temp, (UnixFileMode)(mode & 0x1FF) | UnixFileMode.UserRead);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_'));
}

/// <summary>A volume the kubelet could not set up (missing ConfigMap/Secret or key), or a failed init step.</summary>
public sealed class PodVolumeException : Exception
{
    /// <summary>
    /// A mount failure with the kubelet's text: <c>MountVolume.SetUp failed for volume "v" : error</c>
    /// (operationexecutor VolumeToMount.GenerateError).
    /// </summary>
    public static PodVolumeException Mount(string volume, string error) =>
        new($"MountVolume.SetUp failed for volume \"{volume}\" : {error}") { IsMount = true };

    /// <summary>True for a volume set-up failure (the pod stays in ContainerCreating), false for an init step.</summary>
    public bool IsMount { get; private init; }

    public PodVolumeException(string message) : base(message) { }

    public PodVolumeException() { }

    public PodVolumeException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The kubelet's AtomicWriter swaps `..data` with rename(2); .NET has no rename for a link to a directory.</summary>
internal static class NativeRename
{
    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    public static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);
}
